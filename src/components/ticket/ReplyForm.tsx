"use client";
import { useHydrated } from "~/components/ui/useHydrated";
import { useState, type FormEvent } from "react";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";
import { FormError } from "~/components/ui/FormError";
import { InsertArticle } from "~/components/kb/InsertArticle";
import { WritingHints } from "~/components/writing/WritingHints";
import { CannedReplyPicker } from "./CannedReplyPicker";
import { AttachmentPicker, uploadsPending } from "~/components/attachments/AttachmentPicker";
import { useAttachmentUploads } from "~/components/attachments/useAttachmentUploads";

export function ReplyForm({
  ticketId,
  allowInternal,
  insertArticles = false,
  onSent,
  onFollowUp,
}: {
  ticketId: string;
  allowInternal: boolean;
  /** Agents may add a knowledge-base article's public address to the reply. */
  insertArticles?: boolean;
  onSent: () => void;
  /** The ticket took no more replies: the message opened the follow-up ticket with this number. */
  onFollowUp?: (number: number) => void;
}) {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const [body, setBody] = useState("");
  const [internal, setInternal] = useState(false);
  const uploads = useAttachmentUploads(t);
  // One key per message: a retried submit returns the message it wrote (no second copy, no second attachments).
  const [clientRequestId, setClientRequestId] = useState(() => crypto.randomUUID());
  const reply = api.ticket.reply.useMutation({
    onSuccess: (sent) => {
      setBody("");
      setInternal(false);
      uploads.clear();
      setClientRequestId(crypto.randomUUID());
      if (sent.followUp && onFollowUp) onFollowUp(sent.followUp.number);
      else onSent();
    },
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (uploads.busy) return;
    reply.mutate({ ticketId, body, internal, clientRequestId, attachmentIds: uploads.ids });
  }

  return (
    <form className="stack card" data-reply-form onSubmit={onSubmit}>
      {/* Disabled until the page's script runs: text typed into the server's copy would be lost. */}
      <fieldset className="stack bare" disabled={!hydrated}>
      <label>
        {t("ticket.reply")}
        <textarea value={body} onChange={(e) => setBody(e.target.value)} required />
      </label>
      <WritingHints text={body} />
      {/* Staff only (those who may write internal notes): canned replies filled for this ticket. */}
      {allowInternal && <CannedReplyPicker ticketId={ticketId} onInsert={(text) => setBody((b) => (b.trim() ? `${b.replace(/\s+$/, "")}\n\n${text}` : text))} />}
      {insertArticles && <InsertArticle onInsert={(url) => setBody((b) => (b && !b.endsWith("\n") ? `${b}\n${url}` : `${b}${url}`))} />}
      {allowInternal && (
        <label className="inline">
          <input type="checkbox" data-internal-note checked={internal} onChange={(e) => setInternal(e.target.checked)} /> {t("ticket.internal")}
        </label>
      )}
      {allowInternal && internal && <p className="muted">{t("bell.mentionHint")}</p>}
      <AttachmentPicker uploads={uploads} />
      {uploadsPending(uploads, t) && <p className="muted">{uploadsPending(uploads, t)}</p>}
      <FormError error={reply.error} />
      <div>
        <button type="submit" disabled={reply.isPending || uploads.busy}>
          {t("ticket.replySubmit")}
        </button>
      </div>
      </fieldset>
    </form>
  );
}
