"use client";
import { useId, useState } from "react";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";

/** The longest comment (the server's EVALUATION_COMMENT_MAX). */
const COMMENT_MAX = 2000;

type Current = { helpful: boolean; comment: string | null } | null;

/**
 * "¿Le ayudó esta respuesta?" (seeds 001 and 004): an optional comment and two buttons, "Sí me
 * ayudó" and "No me ayudó", either of which sends the answer with the comment. The answer given is
 * shown pressed and can be changed.
 */
export function EvaluationForm({
  current,
  pending,
  error,
  onAnswer,
}: {
  current: Current;
  pending: boolean;
  error: { message: string } | null | undefined;
  onAnswer: (helpful: boolean, comment: string) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const ids = useId();
  const [comment, setComment] = useState(current?.comment ?? "");
  const [saved, setSaved] = useState(false);
  const tooLong = comment.length > COMMENT_MAX;

  async function answer(helpful: boolean) {
    setSaved(false);
    const ok = await onAnswer(helpful, comment).then(
      () => true,
      () => false,
    );
    setSaved(ok);
  }

  return (
    <section aria-labelledby={`${ids}-q`} className="card stack">
      <h2 id={`${ids}-q`}>{t("evaluation.question")}</h2>
      <div className="field">
        <label htmlFor={`${ids}-comment`}>{t("evaluation.comment")}</label>
        <textarea
          id={`${ids}-comment`}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          aria-invalid={tooLong}
          aria-describedby={`${ids}-hint`}
        />
        <span id={`${ids}-hint`} className={tooLong ? "error" : "muted"}>
          {tooLong ? t("errors.COMMENT_TOO_LONG", { max: COMMENT_MAX }) : t("evaluation.commentHelp", { max: COMMENT_MAX })}
        </span>
      </div>
      <div className="row">
        <button type="button" aria-pressed={current?.helpful === true} disabled={pending || tooLong} onClick={() => void answer(true)}>
          {t("evaluation.HELPFUL")}
        </button>
        <button type="button" className="secondary" aria-pressed={current?.helpful === false} disabled={pending || tooLong} onClick={() => void answer(false)}>
          {t("evaluation.NOT_HELPFUL")}
        </button>
      </div>
      <FormError error={error} />
      <div role="status">
        {saved && <p>{t("evaluation.thanks")}</p>}
        {current && (
          <p className="muted">
            {t("evaluation.current", { answer: t(current.helpful ? "evaluation.HELPFUL" : "evaluation.NOT_HELPFUL") })} {t("evaluation.changeHint")}
          </p>
        )}
      </div>
    </section>
  );
}
