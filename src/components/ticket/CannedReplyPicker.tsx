"use client";
import { keepPreviousData } from "@tanstack/react-query";
import { useId, useState, type KeyboardEvent } from "react";
import { useDebounced } from "~/components/kb/useDebounced";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import type { CannedReplyView } from "~/shared/schemas/canned-replies";
import { api } from "~/trpc/react";

/**
 * "Respuestas predefinidas": a combobox over the active canned replies (type to search, arrows to
 * move, Enter to insert, Escape to close). The chosen reply comes back from the server with this
 * ticket's customer, number and agent filled in, as plain text for the reply box.
 */
export function CannedReplyPicker({ ticketId, onInsert }: { ticketId: string; onInsert: (text: string) => void }) {
  const { t } = useI18n();
  const ids = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const q = useDebounced(text.trim(), 200);
  const list = api.cannedReply.list.useQuery({ q }, { enabled: open, placeholderData: keepPreviousData, retry: false });
  const fill = api.cannedReply.fill.useMutation();
  const hits = open ? (list.data ?? []) : [];
  const current = hits[Math.min(active, hits.length - 1)];
  const optionId = (id: string) => `${ids}-opt-${id}`;

  async function choose(reply: CannedReplyView) {
    const filled = await fill.mutateAsync({ id: reply.id, ticketId }).catch(() => null);
    if (!filled) return;
    onInsert(filled.text);
    setText("");
    setOpen(false);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) return setOpen(true);
      if (hits.length) setActive((i) => (i + (e.key === "ArrowDown" ? 1 : hits.length - 1)) % hits.length);
    } else if (e.key === "Enter") {
      // Enter here inserts; it must never send the reply this field sits in.
      e.preventDefault();
      if (current) void choose(current);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      setOpen(false);
    }
  }

  const expanded = open && (hits.length > 0 || list.isSuccess);
  return (
    // The group carries the name "Respuestas predefinidas"; the field's own label must not contain
    // "Respuesta", the reply box's label, or a search for that label would find both.
    <fieldset className="kb-insert stack" style={{ border: 0, margin: 0, padding: ".6rem 0 0" }}>
      <legend style={{ fontWeight: 600, fontSize: ".9rem", padding: 0 }}>{t("cannedReplies.picker")}</legend>
      <label htmlFor={`${ids}-input`} style={{ fontWeight: 500 }}>
        {t("cannedReplies.pickerSearch")}
      </label>
      <input
        id={`${ids}-input`}
        type="text"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={`${ids}-list`}
        aria-autocomplete="list"
        aria-activedescendant={open && current ? optionId(current.id) : undefined}
        autoComplete="off"
        value={text}
        placeholder={t("cannedReplies.pickerPlaceholder")}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        disabled={fill.isPending}
      />
      <ul id={`${ids}-list`} role="listbox" aria-label={t("cannedReplies.pickerMatches")} className="plain card" hidden={!expanded} style={{ maxHeight: "16rem", overflow: "auto", padding: ".4rem" }}>
        {hits.map((r) => (
          <li
            key={r.id}
            id={optionId(r.id)}
            role="option"
            aria-selected={current?.id === r.id}
            // mousedown would blur the input (closing the list) before the click lands.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => void choose(r)}
            onMouseEnter={() => setActive(hits.indexOf(r))}
            style={{ cursor: "pointer", padding: ".3rem .5rem", borderRadius: 4, background: current?.id === r.id ? "#e8eefb" : undefined }}
          >
            {r.title} <span className="badge">{r.language ? t(`cannedReplies.languages.${r.language}`) : t("cannedReplies.languageBoth")}</span>
          </li>
        ))}
        {expanded && hits.length === 0 && <li className="muted">{t("cannedReplies.pickerNone")}</li>}
      </ul>
      {fill.isPending && <p className="muted">{t("cannedReplies.inserting")}</p>}
      <FormError error={fill.error ?? list.error} />
    </fieldset>
  );
}
