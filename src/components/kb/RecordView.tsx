"use client";
import { useEffect, useRef } from "react";
import { api } from "~/trpc/react";

/** Counts one view per page load, from the browser (crawlers of the HTML do not count). */
export function RecordView({ articleId }: { articleId: string }) {
  const record = api.kb.recordView.useMutation();
  const sent = useRef<string | null>(null);
  useEffect(() => {
    if (sent.current === articleId) return;
    sent.current = articleId;
    record.mutate({ articleId });
    // Once per article: the mutation object changes with its state and must not re-trigger this.
  }, [articleId]);
  return null;
}
