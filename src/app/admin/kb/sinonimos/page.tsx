"use client";
import { useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

type Language = "es" | "en";
const LANGUAGES: readonly Language[] = ["es", "en"];

/** One group per line, words separated by commas; blank lines and empty words are dropped. */
function parseGroups(text: string): { groups: string[][]; badLine: number | null } {
  const groups: string[][] = [];
  let badLine: number | null = null;
  text.split(/\r?\n/).forEach((line, i) => {
    const words = line
      .split(",")
      .map((w) => w.trim())
      .filter(Boolean);
    if (words.length === 0) return;
    if (words.length < 2 && badLine === null) badLine = i + 1;
    groups.push(words);
  });
  return { groups, badLine };
}

/** Admin: the knowledge base search's synonym groups, per language. */
export default function SynonymsPage() {
  const { t, locale } = useI18n();
  const [language, setLanguage] = useState<Language>(locale);
  const synonyms = api.kb.synonyms.useQuery({ language }, { staleTime: 0 });

  return (
    <section className="card stack" style={{ maxWidth: 720 }}>
      <h1>{t("synonyms.title")}</h1>
      <p className="muted">{t("synonyms.intro")}</p>
      <label>
        {t("synonyms.language")}
        <select name="language" value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {t(`kb.languages.${l}`)}
            </option>
          ))}
        </select>
      </label>
      <FormError error={synonyms.error} />
      {/* Keyed by language and loaded data: switching language starts from that language's saved groups. */}
      {synonyms.data && <SynonymsForm key={language} language={language} initial={synonyms.data} />}
    </section>
  );
}

function SynonymsForm({ language, initial }: { language: Language; initial: string[][] }) {
  const { t } = useI18n();
  const utils = api.useUtils();
  const [text, setText] = useState(() => initial.map((g) => g.join(", ")).join("\n"));
  const [saved, setSaved] = useState(false);
  const [clientError, setClientError] = useState<string | null>(null);
  const save = api.kb.setSynonyms.useMutation({
    onSuccess: async () => {
      setSaved(true);
      await utils.kb.synonyms.invalidate({ language });
    },
  });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    const { groups, badLine } = parseGroups(text);
    if (badLine !== null) {
      setClientError(t("synonyms.invalidLine", { line: badLine }));
      return;
    }
    setClientError(null);
    save.mutate({ language, groups });
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      <label>
        {t("synonyms.groups")}
        <textarea
          name="groups"
          rows={12}
          value={text}
          spellCheck={false}
          onChange={(e) => {
            setText(e.target.value);
            setSaved(false);
          }}
        />
      </label>
      <FormError error={clientError ? { message: clientError } : save.error} />
      {saved && (
        <p role="status" className="muted">
          {t("synonyms.saved")}
        </p>
      )}
      <div>
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? t("synonyms.saving") : t("synonyms.save")}
        </button>
      </div>
    </form>
  );
}
