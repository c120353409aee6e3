"use client";
import type { FormEvent, ReactNode } from "react";
import type { TypingKind } from "~/shared/realtime";

/**
 * Tells the ticket's other agents that this one is typing in the form inside: a reply, or a note
 * when the form's internal-note box is ticked. Listens to the form's input events as they bubble,
 * so the reply form itself needs no knowledge of presence.
 */
export function TypingSignal({ onTyping, children }: { onTyping: (kind: TypingKind) => void; children: ReactNode }) {
  function onInput(e: FormEvent<HTMLDivElement>) {
    const target = e.target as HTMLElement;
    if (!(target instanceof HTMLTextAreaElement)) return;
    const internal = target.form?.querySelector<HTMLInputElement>('input[type="checkbox"]')?.checked ?? false;
    onTyping(internal ? "note" : "reply");
  }
  return <div onInput={onInput}>{children}</div>;
}
