"use client";
import { useId, useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import { useI18n } from "~/i18n/react";
import { ORGANIZATION_NAME_MAX, type Organization } from "~/shared/schemas/people";
import { api } from "~/trpc/react";

/** Admin: customer companies, their mail domains and whether their customers share tickets (/admin/organizaciones). */
export default function OrganizationsPage() {
  const { t } = useI18n();
  const ids = useId();
  const utils = api.useUtils();
  const list = api.people.organizations.useQuery();
  const [editing, setEditing] = useState<Organization | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div className="stack">
      <h1>{t("people.organizations.title")}</h1>
      <p className="muted">{t("people.organizations.intro")}</p>
      <section className="stack" aria-labelledby={`${ids}-list`}>
        <h2 id={`${ids}-list`}>{t("people.organizations.list")}</h2>
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <FormError error={list.error} />
        {list.isSuccess && list.data.length === 0 ? (
          <p className="muted">{t("people.organizations.empty")}</p>
        ) : (
          <table aria-labelledby={`${ids}-list`} className="people-table">
            <thead>
              <tr>
                <th scope="col">{t("people.organizations.name")}</th>
                <th scope="col">{t("people.organizations.domains")}</th>
                <th scope="col">{t("people.organizations.members")}</th>
                <th scope="col">{t("people.organizations.shared")}</th>
                <th scope="col">{t("people.organizations.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.map((o) => (
                <tr key={o.id} data-organization={o.name}>
                  <th scope="row" style={{ overflowWrap: "anywhere" }}>
                    {o.name}
                  </th>
                  <td style={{ overflowWrap: "anywhere" }}>{o.domains.join(", ") || "—"}</td>
                  <td>{o.memberCount}</td>
                  <td>{o.membersSeeTickets ? t("people.organizations.sharedYes") : t("people.organizations.sharedNo")}</td>
                  <td>
                    <button type="button" className="secondary small" aria-label={t("people.organizations.editLabel", { name: o.name })} onClick={() => (setNotice(null), setEditing(o))}>
                      {t("people.organizations.edit")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <OrganizationForm
        key={editing?.id ?? "new"}
        organization={editing}
        onSaved={async (text) => {
          setEditing(null);
          setNotice(text);
          await utils.people.organizations.invalidate();
        }}
        onCancel={() => setEditing(null)}
      />
    </div>
  );
}

function OrganizationForm({ organization, onSaved, onCancel }: { organization: Organization | null; onSaved: (notice: string) => Promise<void>; onCancel: () => void }) {
  const { t } = useI18n();
  const ids = useId();
  const hydrated = useHydrated();
  const create = api.people.createOrganization.useMutation();
  const update = api.people.updateOrganization.useMutation();
  const [name, setName] = useState(organization?.name ?? "");
  const [domains, setDomains] = useState(organization?.domains.join("\n") ?? "");
  const [shared, setShared] = useState(organization?.membersSeeTickets ?? false);
  const [attach, setAttach] = useState(false);
  const error = create.error ?? update.error;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields = { name, domains: [domains], membersSeeTickets: shared, attachExisting: attach };
    try {
      const saved = organization ? await update.mutateAsync({ id: organization.id, ...fields }) : await create.mutateAsync(fields);
      const text = t(organization ? "people.organizations.saved" : "people.organizations.created", { name: saved.name });
      await onSaved(saved.attached ? `${text} ${t("people.organizations.attached", { count: saved.attached, name: saved.name })}` : text);
    } catch {
      // shown by FormError
    }
  }

  return (
    <section className="card stack" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{organization ? t("people.organizations.editTitle", { name: organization.name }) : t("people.organizations.newTitle")}</h2>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label>
          {t("people.organizations.name")}
          <input value={name} maxLength={ORGANIZATION_NAME_MAX} required onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t("people.organizations.domains")}
          <textarea value={domains} rows={3} aria-describedby={`${ids}-domains-help`} onChange={(e) => setDomains(e.target.value)} />
        </label>
        <p id={`${ids}-domains-help`} className="muted">
          {t("people.organizations.domainsHelp")}
        </p>
        <label className="row" style={{ gap: ".4rem" }}>
          <input type="checkbox" checked={attach} onChange={(e) => setAttach(e.target.checked)} />
          {t("people.organizations.attachExisting")}
        </label>
        <label className="row" style={{ gap: ".4rem" }}>
          <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
          {t("people.organizations.membersSeeTickets")}
        </label>
        <FormError error={error} />
        <div className="row">
          <button type="submit" disabled={!hydrated || create.isPending || update.isPending}>
            {organization ? t("people.organizations.save") : t("people.organizations.create")}
          </button>
          {organization && (
            <button type="button" className="secondary" onClick={onCancel}>
              {t("people.organizations.cancel")}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
