"use client";
import { useId, useState } from "react";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";
import { CalendarForm } from "./CalendarForm";
import { PolicyForm } from "./PolicyForm";
import type { ClientError } from "./time";
import type { SlaAdminViewData, SlaPolicyView } from "./types";

/** Admin: the business calendars and the SLA policies, in the order they are tried. */
export default function SlaAdminPage() {
  const { t } = useI18n();
  const ids = useId();
  const utils = api.useUtils();
  const view = api.sla.view.useQuery();
  const [notice, setNotice] = useState<string | null>(null);
  const [newCalendar, setNewCalendar] = useState(false);

  const onSaved = async (text: string) => {
    setNotice(text);
    await utils.sla.view.invalidate();
  };

  return (
    <div className="stack">
      <h1>{t("slaAdmin.title")}</h1>
      <p className="muted">{t("slaAdmin.intro")}</p>
      <FormError error={view.error} />
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {view.data && (
        <>
          <Policies view={view.data} onSaved={onSaved} />
          <section className="stack" aria-labelledby={`${ids}-calendars`}>
            <h2 id={`${ids}-calendars`}>{t("slaAdmin.calendars")}</h2>
            {view.data.calendars.map((c) => (
              <CalendarForm key={c.id} calendar={c} onSaved={onSaved} />
            ))}
            {newCalendar ? (
              <CalendarForm
                calendar={null}
                onSaved={async (text) => {
                  setNewCalendar(false);
                  await onSaved(text);
                }}
                onCancel={() => setNewCalendar(false)}
              />
            ) : (
              <div>
                <button type="button" className="secondary" onClick={() => setNewCalendar(true)}>
                  {t("slaAdmin.newCalendar")}
                </button>
              </div>
            )}
          </section>
        </>
      )}
    </div>
  );
}

function Policies({ view, onSaved }: { view: SlaAdminViewData; onSaved: (notice: string) => Promise<void> }) {
  const { t, locale } = useI18n();
  const ids = useId();
  const move = api.sla.movePolicy.useMutation();
  const remove = api.sla.deletePolicy.useMutation();
  const [editing, setEditing] = useState<SlaPolicyView | "new" | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const movable = view.policies.filter((p) => !p.isDefault);
  const calendarName = (id: string) => view.calendars.find((c) => c.id === id)?.name ?? "";
  const categoryName = (id: string) => {
    const c = view.categories.find((x) => x.id === id);
    return c ? (locale === "en" ? c.nameEn : c.nameEs) : "";
  };
  const hours = (x: { hours: number; businessHours: boolean }) => `${t("slaAdmin.hoursSummary", { hours: x.hours })} ${x.businessHours ? t("slaAdmin.businessSuffix") : t("slaAdmin.calendarSuffix")}`;

  async function run(action: () => Promise<unknown>, text: string) {
    setError(null);
    try {
      await action();
      await onSaved(text);
    } catch (err) {
      setError(err as ClientError);
    }
  }

  return (
    <section className="stack" aria-labelledby={`${ids}-policies`}>
      <h2 id={`${ids}-policies`}>{t("slaAdmin.policies")}</h2>
      <p className="muted">{t("slaAdmin.policiesIntro")}</p>
      <FormError error={error} />
      <ol className="stack">
        {view.policies.map((p) => {
          const index = movable.findIndex((m) => m.id === p.id);
          return (
            <li key={p.id} className="card stack" aria-label={p.name}>
              <div className="row" style={{ justifyContent: "space-between" }}>
                <strong>
                  {p.name} {p.isDefault && <span className="badge">{t("slaAdmin.defaultBadge")}</span>}
                </strong>
                <div className="row" style={{ gap: ".4rem" }}>
                  {!p.isDefault && (
                    <>
                      <button type="button" className="secondary small" disabled={index === 0 || move.isPending} onClick={() => void run(() => move.mutateAsync({ id: p.id, direction: "up" }), t("slaAdmin.saved"))}>
                        {t("slaAdmin.moveUp", { name: p.name })}
                      </button>
                      <button
                        type="button"
                        className="secondary small"
                        disabled={index === movable.length - 1 || move.isPending}
                        onClick={() => void run(() => move.mutateAsync({ id: p.id, direction: "down" }), t("slaAdmin.saved"))}
                      >
                        {t("slaAdmin.moveDown", { name: p.name })}
                      </button>
                    </>
                  )}
                  <button type="button" className="secondary small" onClick={() => setEditing(p)} aria-label={`${t("slaAdmin.editPolicy")} ${p.name}`}>
                    {t("slaAdmin.editPolicy")}
                  </button>
                  {!p.isDefault && (
                    <button type="button" className="danger small" disabled={remove.isPending} onClick={() => void run(() => remove.mutateAsync({ id: p.id }), t("slaAdmin.deleted"))}>
                      {t("slaAdmin.deletePolicy", { name: p.name })}
                    </button>
                  )}
                </div>
              </div>
              <dl className="row">
                <div>
                  <dt>{t("slaAdmin.conditions")}</dt>
                  <dd>
                    {p.categoryIds.length ? p.categoryIds.map(categoryName).join(", ") : t("slaAdmin.anyCategory")} ·{" "}
                    {p.channels.length ? p.channels.map((c) => t(`channel.${c}`)).join(", ") : t("slaAdmin.anyChannel")}
                  </dd>
                </div>
                <div>
                  <dt>{t("slaAdmin.calendar")}</dt>
                  <dd>{calendarName(p.calendarId)}</dd>
                </div>
                <div>
                  <dt>{t("slaAdmin.firstResponse")}</dt>
                  <dd>{hours(p.firstResponse)}</dd>
                </div>
                {(["HIGH", "MEDIUM", "LOW"] as const).map((pr) => (
                  <div key={pr}>
                    <dt>{t("slaAdmin.resolutionFor", { priority: t(`priority.${pr}`) })}</dt>
                    <dd>{hours(p.resolution[pr])}</dd>
                  </div>
                ))}
              </dl>
            </li>
          );
        })}
      </ol>
      {editing ? (
        <PolicyForm
          key={editing === "new" ? "new" : editing.id}
          policy={editing === "new" ? null : editing}
          view={view}
          onSaved={async (text) => {
            setEditing(null);
            await onSaved(text);
          }}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <div>
          <button type="button" className="secondary" onClick={() => setEditing("new")}>
            {t("slaAdmin.newPolicy")}
          </button>
        </div>
      )}
    </section>
  );
}
