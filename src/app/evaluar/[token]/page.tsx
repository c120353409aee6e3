"use client";
import { useParams } from "next/navigation";
import { EvaluationForm } from "~/components/ticket/actions/EvaluationForm";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

/** The link from the "resolved" mail: no sign-in, the signed token names the ticket (evaluations/evaluation-link.ts). */
export default function EvaluatePage() {
  const { t } = useI18n();
  const token = useParams<{ token: string }>().token;
  const utils = api.useUtils();
  const view = api.evaluation.byToken.useQuery({ token }, { retry: false, staleTime: Infinity });
  const submit = api.evaluation.submit.useMutation({ onSuccess: (data) => utils.evaluation.byToken.setData({ token }, data) });

  let content;
  if (view.isPending) content = <p className="muted">{t("evaluation.loading")}</p>;
  else if (view.isError) content = <FormError error={view.error} />;
  else {
    const { ticket, open, evaluation } = view.data;
    content = (
      <>
        <p>{t("evaluation.ticket", { number: ticket.number, subject: ticket.subject })}</p>
        {open ? (
          <EvaluationForm current={evaluation} pending={submit.isPending} error={submit.error} onAnswer={(helpful, comment) => submit.mutateAsync({ token, helpful, comment })} />
        ) : (
          <FormError error={{ message: t("errors.EVALUATION_NOT_OPEN") }} />
        )}
      </>
    );
  }
  return (
    <div className="stack" style={{ maxWidth: 560, margin: "2rem auto" }}>
      <h1>{t("evaluation.title")}</h1>
      {content}
    </div>
  );
}
