"use client";
import { SimilarTicketOffer } from "./SimilarTicketOffer";
import { WritingHints } from "./WritingHints";

/** What the new-ticket form shows under its message box: writing hints on the message, and the customer's similar open tickets. */
export function NewTicketHelp({ messageField = "description", subjectField = "subject" }: { messageField?: string; subjectField?: string }) {
  return (
    <>
      <WritingHints field={messageField} />
      <SimilarTicketOffer field={subjectField} />
    </>
  );
}
