"use client";
import { useId, useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { newRequestId } from "./request-id";

/**
 * The form of an action that is a public message moving the ticket ("Solicitar información",
 * "Resolver"): a disclosure with the text, what it does, and one submit. The retry key lives as
 * long as the text is unsent, so a resubmit after a network failure is the same request.
 */
export function AnswerActionForm({
  summary,
  label,
  help,
  submit,
  requiredMessage,
  pending,
  error,
  onSubmit,
}: {
  summary: string;
  label: string;
  help: string;
  submit: string;
  requiredMessage: string;
  pending: boolean;
  error: { message: string } | null | undefined;
  onSubmit: (body: string, clientRequestId: string) => Promise<unknown>;
}) {
  const ids = useId();
  const [body, setBody] = useState("");
  const [requestId, setRequestId] = useState(newRequestId);
  const [missing, setMissing] = useState(false);

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) {
      setMissing(true);
      return;
    }
    setMissing(false);
    const ok = await onSubmit(body, requestId).then(
      () => true,
      () => false,
    );
    if (ok) {
      setBody("");
      setRequestId(newRequestId());
    }
  }

  return (
    <details className="card">
      <summary>{summary}</summary>
      <form className="stack" onSubmit={send} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-body`}>{label}</label>
          <textarea
            id={`${ids}-body`}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            required
            aria-invalid={missing}
            aria-describedby={`${ids}-help`}
          />
          <span id={`${ids}-help`} className={missing ? "error" : "muted"}>
            {missing ? requiredMessage : help}
          </span>
        </div>
        <FormError error={error} />
        <div>
          <button type="submit" disabled={pending}>
            {submit}
          </button>
        </div>
      </form>
    </details>
  );
}
