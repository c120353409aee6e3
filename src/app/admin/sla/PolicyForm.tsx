"use client";
import { useId, useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import { CHANNELS, PRIORITIES, type Channel, type Priority } from "~/shared/enums";
import type { SlaAdminViewData, SlaPolicyView } from "./types";
import { api } from "~/trpc/react";
import type { ClientError } from "./time";

interface TargetDraft {
  hours: string;
  businessHours: boolean;
}

const draftOf = (t: { hours: number; businessHours: boolean }): TargetDraft => ({ hours: String(t.hours), businessHours: t.businessHours });
/** An empty or non-numeric field goes as NaN: the server answers it in the admin's language. */
const hoursOf = (v: string) => (v.trim() === "" ? Number.NaN : Number(v));
const targetOf = (d: TargetDraft) => ({ hours: hoursOf(d.hours), businessHours: d.businessHours });

const NEW_TARGET: TargetDraft = { hours: "24", businessHours: true };

/** A policy's targets and conditions; the default one has none (it applies when no other does). */
export function PolicyForm({ policy, view, onSaved, onCancel }: { policy: SlaPolicyView | null; view: SlaAdminViewData; onSaved: (notice: string) => Promise<void>; onCancel: () => void }) {
  const { t, locale } = useI18n();
  const id = useId();
  const save = api.sla.savePolicy.useMutation();
  const [name, setName] = useState(policy?.name ?? "");
  const [calendarId, setCalendarId] = useState(policy?.calendarId ?? view.calendars[0]?.id ?? "");
  const [categoryIds, setCategoryIds] = useState<string[]>(policy?.categoryIds ?? []);
  const [channels, setChannels] = useState<Channel[]>(policy?.channels ?? []);
  const [firstResponse, setFirstResponse] = useState<TargetDraft>(policy ? draftOf(policy.firstResponse) : NEW_TARGET);
  const [resolution, setResolution] = useState<Record<Priority, TargetDraft>>(
    policy
      ? { HIGH: draftOf(policy.resolution.HIGH), MEDIUM: draftOf(policy.resolution.MEDIUM), LOW: draftOf(policy.resolution.LOW) }
      : { HIGH: { hours: "24", businessHours: true }, MEDIUM: { hours: "48", businessHours: true }, LOW: { hours: "72", businessHours: true } },
  );
  const [warnAtPercent, setWarnAtPercent] = useState(String(policy?.warnAtPercent ?? 80));
  const [closeWaiting, setCloseWaiting] = useState(String(policy?.closeWaitingAfterHours ?? 24));
  const [closeResolved, setCloseResolved] = useState(String(policy?.closeResolvedAfterHours ?? 72));
  const [error, setError] = useState<ClientError | null>(null);
  const isDefault = !!policy?.isDefault;

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    try {
      await save.mutateAsync({
        ...(policy && { id: policy.id }),
        name,
        calendarId,
        categoryIds: isDefault ? [] : categoryIds,
        channels: isDefault ? [] : channels,
        firstResponse: targetOf(firstResponse),
        resolution: { HIGH: targetOf(resolution.HIGH), MEDIUM: targetOf(resolution.MEDIUM), LOW: targetOf(resolution.LOW) },
        warnAtPercent: hoursOf(warnAtPercent),
        closeWaitingAfterHours: hoursOf(closeWaiting),
        closeResolvedAfterHours: hoursOf(closeResolved),
      });
      await onSaved(t("slaAdmin.saved"));
    } catch (err) {
      setError(err as ClientError);
    }
  }

  const toggle = <T,>(list: T[], value: T, on: boolean) => (on ? [...list, value] : list.filter((v) => v !== value));

  const targetFields = (label: string, value: TargetDraft, set: (d: TargetDraft) => void) => (
    <div className="row">
      <label>
        {label}
        <input type="number" min={0} step="any" value={value.hours} onChange={(e) => set({ ...value, hours: e.target.value })} required />
      </label>
      <label className="inline">
        <input type="checkbox" checked={value.businessHours} onChange={(e) => set({ ...value, businessHours: e.target.checked })} aria-label={t("slaAdmin.businessHoursOf", { target: label })} />
        {t("slaAdmin.businessHours")}
      </label>
    </div>
  );

  const title = policy ? policy.name : t("slaAdmin.newPolicy");
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <form className="stack" onSubmit={onSubmit} aria-label={title}>
        <label>
          {t("slaAdmin.name")}
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
        </label>
        <label>
          {t("slaAdmin.calendar")}
          <select value={calendarId} onChange={(e) => setCalendarId(e.target.value)}>
            {view.calendars.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        {isDefault ? (
          <p className="muted">{t("slaAdmin.defaultConditions")}</p>
        ) : (
          <>
            <fieldset className="row">
              <legend>{t("slaAdmin.categories")}</legend>
              {view.categories.map((c) => (
                <label key={c.id} className="inline">
                  <input type="checkbox" checked={categoryIds.includes(c.id)} onChange={(e) => setCategoryIds(toggle(categoryIds, c.id, e.target.checked))} />
                  {locale === "en" ? c.nameEn : c.nameEs}
                </label>
              ))}
            </fieldset>
            <fieldset className="row">
              <legend>{t("slaAdmin.channels")}</legend>
              {CHANNELS.map((ch) => (
                <label key={ch} className="inline">
                  <input type="checkbox" checked={channels.includes(ch)} onChange={(e) => setChannels(toggle(channels, ch, e.target.checked))} />
                  {t(`channel.${ch}`)}
                </label>
              ))}
            </fieldset>
          </>
        )}
        {targetFields(t("slaAdmin.firstResponse"), firstResponse, setFirstResponse)}
        {PRIORITIES.map((p) => (
          <div key={p}>{targetFields(t("slaAdmin.resolutionFor", { priority: t(`priority.${p}`) }), resolution[p], (d) => setResolution({ ...resolution, [p]: d }))}</div>
        ))}
        <div className="row">
          <label>
            {t("slaAdmin.warnAtPercent")}
            <input type="number" min={1} max={99} value={warnAtPercent} onChange={(e) => setWarnAtPercent(e.target.value)} required />
          </label>
          <label>
            {t("slaAdmin.closeWaitingAfterHours")}
            <input type="number" min={0} step="any" value={closeWaiting} onChange={(e) => setCloseWaiting(e.target.value)} required />
          </label>
          <label>
            {t("slaAdmin.closeResolvedAfterHours")}
            <input type="number" min={0} step="any" value={closeResolved} onChange={(e) => setCloseResolved(e.target.value)} required />
          </label>
        </div>
        <FormError error={error} />
        <div className="row">
          <button type="submit" disabled={save.isPending}>
            {t("slaAdmin.savePolicy")}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {t("slaAdmin.cancel")}
          </button>
        </div>
      </form>
    </section>
  );
}
