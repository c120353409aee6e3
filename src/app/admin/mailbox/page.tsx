"use client";
import { formatDateTime } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

export default function MailboxPage() {
  const { t, locale } = useI18n();
  const mails = api.admin.mailbox.useQuery({ limit: 100 }, { refetchInterval: 5000 });
  return (
    <div className="stack">
      <h1>{t("mailbox.title")}</h1>
      {mails.data?.length === 0 && <p className="muted">{t("mailbox.empty")}</p>}
      {mails.data?.map((m) => (
        <details key={m.id} className="card">
          <summary>
            <strong>{m.subject}</strong> · {t("mailbox.to")}: {m.to} · {t("mailbox.status")}: {m.status}
            {m.lastError ? ` (${m.lastError})` : ""} · {formatDateTime(m.createdAt, locale)}
          </summary>
          <pre style={{ whiteSpace: "pre-wrap" }}>{m.text}</pre>
        </details>
      ))}
    </div>
  );
}
