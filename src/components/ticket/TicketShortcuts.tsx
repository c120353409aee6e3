"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ShortcutsDialog } from "~/components/ui/ShortcutsDialog";
import { useShortcuts, type Shortcut } from "~/components/ui/useShortcuts";
import { useI18n } from "~/i18n/react";

/** The reply form's box and note switch, found as a person would: by the form marked as the reply form. */
function replyBox(): HTMLTextAreaElement | null {
  return document.querySelector<HTMLTextAreaElement>("form[data-reply-form] textarea");
}

function writeReply(asNote: boolean) {
  const note = document.querySelector<HTMLInputElement>("form[data-reply-form] input[data-internal-note]");
  // A click, not a property change, so the form's own state follows.
  if (note && note.checked !== asNote) note.click();
  replyBox()?.focus();
}

/** The agent's ticket page shortcuts (r reply, n note, a assign to me, u queue, ? help) and their help dialog. */
export function TicketShortcuts({ onAssignMe }: { onAssignMe: (() => void) | null }) {
  const { t } = useI18n();
  const router = useRouter();
  const [helpOpen, setHelpOpen] = useState(false);
  const shortcuts: Shortcut[] = [
    { keys: ["r"], description: t("ticketKeys.reply"), run: () => writeReply(false) },
    { keys: ["n"], description: t("ticketKeys.note"), run: () => writeReply(true) },
    ...(onAssignMe ? [{ keys: ["a"], description: t("ticketKeys.assignMe"), run: onAssignMe }] : []),
    { keys: ["u"], description: t("ticketKeys.queue"), run: () => router.push("/agent") },
    { keys: ["?"], description: t("ticketKeys.help"), run: () => setHelpOpen(true) },
  ];
  useShortcuts(shortcuts, !helpOpen);
  return (
    <>
      <button type="button" className="secondary" aria-keyshortcuts="?" onClick={() => setHelpOpen(true)}>
        {t("ticketKeys.button")}
      </button>
      <ShortcutsDialog shortcuts={shortcuts} open={helpOpen} onClose={() => setHelpOpen(false)} />
    </>
  );
}
