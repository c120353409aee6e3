"use client";
import type { inferRouterInputs } from "@trpc/server";
import { useId, useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import type { AppRouter } from "~/server/api/root";
import { api } from "~/trpc/react";
import { useHydrated } from "~/components/ui/useHydrated";

type Reason = NonNullable<inferRouterInputs<AppRouter>["kb"]["vote"]["reasons"]>[number];
const REASONS = ["NOT_SOLVED", "HARD_TO_UNDERSTAND", "OUTDATED", "OTHER"] as const satisfies readonly Reason[];

const VISITOR_KEY = "vt-kb-visitor";

function randomKey(): string {
  // getRandomValues works on plain http too (randomUUID needs a secure context).
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A random id this browser keeps, so one visitor votes once per article. */
function visitorKey(): string {
  try {
    const kept = localStorage.getItem(VISITOR_KEY);
    if (kept && kept.length >= 8 && kept.length <= 64) return kept;
    const key = randomKey();
    localStorage.setItem(VISITOR_KEY, key);
    return key;
  } catch {
    // Storage blocked (private mode, policies): one key for this page only.
    return (fallbackKey ??= randomKey());
  }
}
let fallbackKey: string | undefined;

/** Seed 002: "¿Le ha sido útil este artículo?", with reasons and a comment for a "No". */
export function ArticleFeedback({ articleId }: { articleId: string }) {
  const { t } = useI18n();
  const ids = useId();
  const [stage, setStage] = useState<"ask" | "yes" | "no" | "sent">("ask");
  const [reasons, setReasons] = useState<Reason[]>([]);
  const [comment, setComment] = useState("");
  const [reasonMissing, setReasonMissing] = useState(false);
  const vote = api.kb.vote.useMutation();
  const hydrated = useHydrated();

  function voteYes() {
    vote.mutate({ articleId, helpful: true, visitorKey: visitorKey() }, { onSuccess: () => setStage("yes") });
  }

  function voteNo() {
    vote.reset();
    setStage("no");
  }

  function toggle(reason: Reason, on: boolean) {
    setReasons((current) => (on ? [...current.filter((r) => r !== reason), reason] : current.filter((r) => r !== reason)));
    if (on) setReasonMissing(false);
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (reasons.length === 0) {
      setReasonMissing(true);
      return;
    }
    vote.mutate(
      { articleId, helpful: false, reasons, comment: comment.trim() || undefined, visitorKey: visitorKey() },
      { onSuccess: () => setStage("sent") },
    );
  }

  if (!hydrated) return null;
  return (
    <section className="card stack kb-feedback" aria-labelledby={`${ids}-q`}>
      {stage === "ask" && (
        <>
          <h2 id={`${ids}-q`}>{t("kb.feedback.question")}</h2>
          <div className="row">
            <button type="button" onClick={voteYes} disabled={vote.isPending}>
              {t("kb.feedback.yes")}
            </button>
            <button type="button" className="secondary" onClick={voteNo} disabled={vote.isPending}>
              {t("kb.feedback.no")}
            </button>
          </div>
          <FormError error={vote.error} />
        </>
      )}
      {stage === "yes" && (
        <div role="status">
          <h2 id={`${ids}-q`}>{t("kb.feedback.thanksTitle")}</h2>
          <p>{t("kb.feedback.thanksText")}</p>
        </div>
      )}
      {stage === "no" && (
        <form className="stack" onSubmit={onSubmit} noValidate>
          <div>
            <h2 id={`${ids}-q`}>{t("kb.feedback.sorryTitle")}</h2>
            <p>{t("kb.feedback.sorryText")}</p>
          </div>
          <fieldset className="stack" aria-invalid={reasonMissing} aria-describedby={reasonMissing ? `${ids}-missing` : undefined}>
            <legend>{t("kb.feedback.reasonsLegend")}</legend>
            {REASONS.map((r) => (
              <label key={r} className="inline">
                <input type="checkbox" checked={reasons.includes(r)} onChange={(e) => toggle(r, e.target.checked)} /> {t(`kb.feedback.reasons.${r}`)}
              </label>
            ))}
          </fieldset>
          {reasonMissing && (
            <p id={`${ids}-missing`} role="alert" className="error">
              {t("kb.feedback.reasonRequired")}
            </p>
          )}
          <label>
            {t("kb.feedback.comment")}
            <textarea value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
          </label>
          <FormError error={vote.error} />
          <div>
            <button type="submit" disabled={vote.isPending}>
              {vote.isPending ? t("kb.feedback.sending") : t("kb.feedback.send")}
            </button>
          </div>
        </form>
      )}
      {stage === "sent" && (
        <div role="status">
          <h2 id={`${ids}-q`}>{t("kb.feedback.sentTitle")}</h2>
          <p>{t("kb.feedback.sentText")}</p>
        </div>
      )}
    </section>
  );
}
