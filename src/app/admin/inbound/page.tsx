"use client";
import { useState } from "react";
import { formatDateTime } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";
import { FormError } from "~/components/ui/FormError";

const STATUSES = ["RECEIVED", "PROCESSED", "DUPLICATE", "IGNORED", "HELD", "UNPROCESSABLE"] as const;
type Status = (typeof STATUSES)[number];

export default function InboundMailPage() {
  const { t, locale } = useI18n();
  const [status, setStatus] = useState<Status | "">("");
  const utils = api.useUtils();
  const list = api.admin.inbound.useQuery({ limit: 100, ...(status ? { status } : {}) }, { refetchInterval: 5000 });
  const retry = api.admin.retryInbound.useMutation({ onSuccess: () => void utils.admin.inbound.invalidate() });
  return (
    <div className="stack">
      <h1>{t("inbound.title")}</h1>
      <label style={{ maxWidth: 260 }}>
        {t("inbound.filter")}
        <select value={status} onChange={(e) => setStatus(e.target.value as Status | "")}>
          <option value="">{t("inbound.all")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`inbound.statuses.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <FormError error={retry.error} />
      {list.data?.length === 0 ? (
        <p className="muted">{t("inbound.empty")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("inbound.received")}</th>
              <th scope="col">{t("inbound.from")}</th>
              <th scope="col">{t("inbound.size")}</th>
              <th scope="col">{t("inbound.filter")}</th>
              <th scope="col">{t("inbound.reason")}</th>
              <th scope="col">{t("inbound.ticket")}</th>
              <th scope="col">{t("inbound.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((m) => (
              <tr key={m.id}>
                <td>{formatDateTime(m.receivedAt, locale)}</td>
                <td>{m.envelopeFrom || "—"}</td>
                <td>{Math.max(1, Math.round(m.size / 1024))} KB</td>
                <td>{t(`inbound.statuses.${m.status}`)}</td>
                <td>{m.reason ?? ""}</td>
                <td>{m.ticketId ? "✓" : ""}</td>
                <td>
                  {(m.status === "UNPROCESSABLE" || m.status === "HELD") && (
                    <button type="button" className="secondary" disabled={retry.isPending} onClick={() => retry.mutate({ id: m.id })}>
                      {m.status === "HELD" ? t("inbound.release") : t("inbound.retry")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
