"use client";
import { keepPreviousData } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useDebounced } from "~/components/kb/useDebounced";
import { ConfirmDialog } from "~/components/ui/ConfirmDialog";
import { FormError } from "~/components/ui/FormError";
import { personName } from "~/components/ui/format";
import { useHydrated } from "~/components/ui/useHydrated";
import { useI18n } from "~/i18n/react";
import { NAME_MAX } from "~/shared/enums";
import { STAFF_ROLES, type StaffPerson } from "~/shared/schemas/people";
import { api } from "~/trpc/react";

type StaffRole = (typeof STAFF_ROLES)[number];
type ClientError = { message: string };

/** Admin: agents and admins (/admin/personas): invite, change role, deactivate and reactivate. */
export default function PeoplePage() {
  const { t } = useI18n();
  const ids = useId();
  const hydrated = useHydrated();
  const utils = api.useUtils();
  const me = api.user.me.useQuery();
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 250);
  const [role, setRole] = useState<StaffRole | "">("");
  const [state, setState] = useState<"active" | "deactivated" | "">("");
  const staff = api.people.staff.useQuery({ q: q || undefined, role: role || undefined, state: state || undefined }, { placeholderData: keepPreviousData });
  const setRoleM = api.people.setRole.useMutation();
  const setActive = api.people.setActive.useMutation();
  const resend = api.people.resendInvitation.useMutation();
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [confirming, setConfirming] = useState<StaffPerson | null>(null);

  async function run(action: () => Promise<unknown>, done: string) {
    setError(null);
    setNotice(null);
    try {
      await action();
      setNotice(done);
    } catch (err) {
      setError(err as ClientError);
    } finally {
      await utils.people.staff.invalidate();
      await utils.user.agents.invalidate();
    }
  }

  return (
    <div className="stack">
      <h1>{t("people.staff.title")}</h1>
      <p className="muted">{t("people.staff.intro")}</p>
      <section className="stack" aria-labelledby={`${ids}-list`}>
        <h2 id={`${ids}-list`}>{t("people.staff.list")}</h2>
        <div className="row people-filters">
          <label>
            {t("people.staff.search")}
            <input type="search" value={search} maxLength={200} onChange={(e) => setSearch(e.target.value)} />
          </label>
          <label>
            {t("people.staff.role")}
            <select value={role} onChange={(e) => setRole(e.target.value as StaffRole | "")}>
              <option value="">{t("people.staff.anyRole")}</option>
              {STAFF_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`people.roles.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("people.staff.state")}
            <select value={state} onChange={(e) => setState(e.target.value as "active" | "deactivated" | "")}>
              <option value="">{t("people.staff.anyState")}</option>
              <option value="active">{t("people.staff.active")}</option>
              <option value="deactivated">{t("people.staff.deactivated")}</option>
            </select>
          </label>
        </div>
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <FormError error={error ?? staff.error} />
        {staff.isSuccess && staff.data.length === 0 ? (
          <p className="muted">{t("people.staff.empty")}</p>
        ) : (
          <table aria-labelledby={`${ids}-list`} className="people-table">
            <thead>
              <tr>
                <th scope="col">{t("people.staff.name")}</th>
                <th scope="col">{t("people.staff.role")}</th>
                <th scope="col">{t("people.staff.state")}</th>
                <th scope="col">{t("people.staff.teams")}</th>
                <th scope="col">{t("people.staff.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {staff.data?.map((p) => {
                const self = p.id === me.data?.id;
                const name = personName(p);
                return (
                  <tr key={p.id} data-person={p.email}>
                    <th scope="row" style={{ overflowWrap: "anywhere" }}>
                      {name} {self && <span className="muted">{t("people.staff.you")}</span>}
                      {p.name && <div className="muted people-email">{p.email}</div>}
                    </th>
                    <td>
                      <select
                        aria-label={t("people.staff.changeRole", { name })}
                        value={p.role}
                        disabled={!hydrated || self || setRoleM.isPending}
                        onChange={(e) => {
                          const next = e.target.value as StaffRole;
                          void run(() => setRoleM.mutateAsync({ userId: p.id, role: next }), t("people.staff.roleSaved", { name, role: t(`people.roles.${next}`) }));
                        }}
                      >
                        {STAFF_ROLES.map((r) => (
                          <option key={r} value={r}>
                            {t(`people.roles.${r}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <span className={`badge ${p.active ? "" : "HIGH"}`}>{p.active ? t("people.staff.active") : t("people.staff.deactivated")}</span>
                      {p.pending && p.active && <div className="muted">{t("people.staff.pending")}</div>}
                    </td>
                    <td style={{ overflowWrap: "anywhere" }}>{p.teams.length ? p.teams.map((x) => x.name).join(", ") : <span className="muted">{t("people.staff.noTeams")}</span>}</td>
                    <td>
                      <div className="row people-actions">
                      {!self &&
                        (p.active ? (
                          <button type="button" className="secondary small" aria-label={t("people.staff.deactivateLabel", { name })} disabled={!hydrated} onClick={() => setConfirming(p)}>
                            {t("people.staff.deactivate")}
                          </button>
                        ) : (
                          <button
                            type="button"
                            className="secondary small"
                            aria-label={t("people.staff.reactivateLabel", { name })}
                            disabled={!hydrated || setActive.isPending}
                            onClick={() => void run(() => setActive.mutateAsync({ userId: p.id, active: true }), t("people.staff.reactivatedNotice", { name }))}
                          >
                            {t("people.staff.reactivate")}
                          </button>
                        ))}
                      {p.pending && p.active && (
                        <button
                          type="button"
                          className="secondary small"
                          aria-label={t("people.staff.resendLabel", { name })}
                          disabled={!hydrated || resend.isPending}
                          onClick={() => void run(() => resend.mutateAsync({ userId: p.id }), t("people.staff.resentNotice", { email: p.email }))}
                        >
                          {t("people.staff.resend")}
                        </button>
                      )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <ConfirmDialog
        open={!!confirming}
        message={confirming ? t("people.staff.confirmDeactivate", { name: personName(confirming) }) : ""}
        confirmLabel={t("people.staff.deactivate")}
        cancelLabel={t("teams.cancel")}
        busy={setActive.isPending}
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          const p = confirming!;
          void run(() => setActive.mutateAsync({ userId: p.id, active: false }), t("people.staff.deactivatedNotice", { name: personName(p) })).then(() => setConfirming(null));
        }}
      />
      <InviteForm onInvited={async (text) => (setError(null), setNotice(text), await utils.people.staff.invalidate())} />
    </div>
  );
}

function InviteForm({ onInvited }: { onInvited: (notice: string) => Promise<void> }) {
  const { t } = useI18n();
  const ids = useId();
  const hydrated = useHydrated();
  const teams = api.team.all.useQuery();
  const invite = api.people.invite.useMutation();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<StaffRole>("AGENT");
  const [teamIds, setTeamIds] = useState<Set<string>>(new Set());

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const person = await invite.mutateAsync({ email, name: name || null, role, teamIds: [...teamIds] });
      setEmail("");
      setName("");
      setTeamIds(new Set());
      await onInvited(t("people.staff.invited", { email: person.email }));
    } catch {
      // shown by FormError
    }
  }

  const toggle = (id: string) =>
    setTeamIds((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <section className="card stack" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t("people.staff.inviteTitle")}</h2>
      <p className="muted">{t("people.staff.inviteIntro", { days: 7 })}</p>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label>
          {t("people.staff.inviteEmail")}
          <input type="email" value={email} required maxLength={320} autoComplete="off" onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {t("people.staff.inviteName")}
          <input value={name} maxLength={NAME_MAX} autoComplete="off" onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t("people.staff.inviteRole")}
          <select value={role} onChange={(e) => setRole(e.target.value as StaffRole)}>
            {STAFF_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`people.roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        {!!teams.data?.length && (
          <fieldset className="stack">
            <legend>{t("people.staff.inviteTeams")}</legend>
            {teams.data.map((team) => (
              <label key={team.id} className="row" style={{ gap: ".4rem" }}>
                <input type="checkbox" checked={teamIds.has(team.id)} onChange={() => toggle(team.id)} />
                {team.name}
              </label>
            ))}
          </fieldset>
        )}
        <FormError error={invite.error} />
        <div className="row">
          <button type="submit" disabled={!hydrated || invite.isPending}>
            {t("people.staff.invite")}
          </button>
        </div>
      </form>
    </section>
  );
}
