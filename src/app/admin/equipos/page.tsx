"use client";
import { useId, useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import { personName } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import { TEAM_DESCRIPTION_MAX, TEAM_NAME_MAX } from "~/shared/teams";
import type { Team } from "~/shared/schemas/teams";
import { api } from "~/trpc/react";

/** Admin: the teams tickets can be handed to, and who is in each (/admin/equipos). */
export default function TeamsPage() {
  const { t } = useI18n();
  const ids = useId();
  const utils = api.useUtils();
  const teams = api.team.all.useQuery();
  const [editing, setEditing] = useState<Team | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div className="stack">
      <h1>{t("teams.title")}</h1>
      <p className="muted">{t("teams.intro")}</p>
      <section className="stack" aria-labelledby={`${ids}-list`}>
        <h2 id={`${ids}-list`}>{t("teams.list")}</h2>
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <FormError error={teams.error} />
        {teams.isSuccess && teams.data.length === 0 ? (
          <p className="muted">{t("teams.empty")}</p>
        ) : (
          <table aria-labelledby={`${ids}-list`}>
            <thead>
              <tr>
                <th scope="col">{t("teams.name")}</th>
                <th scope="col">{t("teams.members")}</th>
                <th scope="col">{t("teams.status")}</th>
                <th scope="col">{t("teams.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {teams.data?.map((team) => (
                <tr key={team.id}>
                  <th scope="row" style={{ overflowWrap: "anywhere" }}>
                    {team.name}
                    {team.description && <div className="muted" style={{ fontWeight: "normal", fontSize: ".9em" }}>{team.description}</div>}
                  </th>
                  <td style={{ overflowWrap: "anywhere" }}>{team.members.length ? team.members.map(personName).join(", ") : <span className="muted">{t("teams.noMembers")}</span>}</td>
                  <td>
                    <span className="badge">{team.active ? t("teams.active") : t("teams.inactive")}</span>
                  </td>
                  <td>
                    <button type="button" className="secondary small" aria-label={`${t("teams.edit")}: ${team.name}`} onClick={() => (setNotice(null), setEditing(team))}>
                      {t("teams.edit")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {/* Keyed by the team: switching to another (or back to "new") starts from its saved values. */}
      <TeamForm
        key={editing?.id ?? "new"}
        team={editing}
        onSaved={async (text) => {
          setEditing(null);
          setNotice(text);
          await utils.team.invalidate();
        }}
        onCancel={() => setEditing(null)}
      />
    </div>
  );
}

function TeamForm({ team, onSaved, onCancel }: { team: Team | null; onSaved: (notice: string) => Promise<void>; onCancel: () => void }) {
  const { t } = useI18n();
  const ids = useId();
  const hydrated = useHydrated();
  const agents = api.user.agents.useQuery();
  const create = api.team.create.useMutation();
  const update = api.team.update.useMutation();
  const [name, setName] = useState(team?.name ?? "");
  const [description, setDescription] = useState(team?.description ?? "");
  const [active, setActive] = useState(team?.active ?? true);
  const [members, setMembers] = useState<Set<string>>(new Set(team?.members.map((m) => m.id)));
  const error = create.error ?? update.error;
  const pending = create.isPending || update.isPending;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields = { name, description, memberIds: [...members] };
    try {
      const saved = team ? await update.mutateAsync({ id: team.id, ...fields, active }) : await create.mutateAsync(fields);
      await onSaved(t(team ? "teams.saved" : "teams.created", { name: saved.name }));
    } catch {
      // shown by FormError
    }
  }

  const toggle = (id: string) =>
    setMembers((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <section className="card stack" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{team ? t("teams.editTitle", { name: team.name }) : t("teams.newTitle")}</h2>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label>
          {t("teams.name")}
          <input value={name} maxLength={TEAM_NAME_MAX} required onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t("teams.description")}
          <input value={description} maxLength={TEAM_DESCRIPTION_MAX} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <fieldset className="stack">
          <legend>{t("teams.members")}</legend>
          {agents.data?.map((agent) => (
            <label key={agent.id} className="row" style={{ gap: ".4rem" }}>
              <input type="checkbox" checked={members.has(agent.id)} onChange={() => toggle(agent.id)} />
              {agent.name ? `${agent.name} (${agent.email})` : agent.email}
            </label>
          ))}
        </fieldset>
        {team && (
          <label className="row" style={{ gap: ".4rem" }}>
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
            {t("teams.activeLabel")}
          </label>
        )}
        <FormError error={error} />
        <div className="row">
          <button type="submit" disabled={!hydrated || pending}>
            {team ? t("teams.save") : t("teams.create")}
          </button>
          {team && (
            <button type="button" className="secondary" onClick={onCancel}>
              {t("teams.cancel")}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
