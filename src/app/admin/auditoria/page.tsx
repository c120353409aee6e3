"use client";
import { keepPreviousData } from "@tanstack/react-query";
import { useId, useState } from "react";
import { FormError } from "~/components/ui/FormError";
import { formatDateTime } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

interface Filters {
  actorId: string;
  action: string;
  entityType: string;
  from: string;
  to: string;
}

/** A value of a before/after as a person reads it. */
function readable(value: unknown, empty: string): string {
  if (value === undefined || value === null || value === "") return empty;
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v !== "object")) return value.join(", ");
  if (typeof value === "object") return JSON.stringify(value, null, 2);
  return String(value);
}

function fieldsOf(before: unknown, after: unknown): string[] {
  const keys = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? Object.keys(v) : []);
  return [...new Set([...keys(before), ...keys(after)])];
}

const field = (v: unknown, key: string) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined);

/** Admin: every admin change, newest first, filtered by person, action, item and dates. */
export default function AuditPage() {
  const { t, locale, timeZone } = useI18n();
  const ids = useId();
  const [f, setF] = useState<Filters>({ actorId: "", action: "", entityType: "", from: "", to: "" });
  const options = api.audit.filters.useQuery();
  const list = api.audit.list.useInfiniteQuery(
    {
      limit: 25,
      ...(f.actorId && { actorId: f.actorId }),
      ...(f.action && { action: f.action }),
      ...(f.entityType && { entityType: f.entityType }),
      // The days as the reader's calendar has them: from the first one's start to the last one's end.
      ...(f.from && { from: new Date(`${f.from}T00:00:00`) }),
      ...(f.to && { to: new Date(`${f.to}T23:59:59.999`) }),
    },
    { getNextPageParam: (last) => last.nextCursor ?? undefined, placeholderData: keepPreviousData },
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setF((prev) => ({ ...prev, [k]: e.target.value }));

  return (
    <div className="stack">
      <h1>{t("siteSettings.audit.title")}</h1>
      <p className="muted">{t("siteSettings.audit.intro")}</p>
      <fieldset className="audit-filters">
        <legend>{t("siteSettings.audit.filters")}</legend>
        <label>
          {t("siteSettings.audit.person")}
          <select value={f.actorId} onChange={set("actorId")}>
            <option value="">{t("siteSettings.audit.any")}</option>
            {options.data?.actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("siteSettings.audit.action")}
          <select value={f.action} onChange={set("action")}>
            <option value="">{t("siteSettings.audit.any")}</option>
            {options.data?.actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("siteSettings.audit.entity")}
          <select value={f.entityType} onChange={set("entityType")}>
            <option value="">{t("siteSettings.audit.any")}</option>
            {options.data?.entityTypes.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("siteSettings.audit.from")}
          <input type="date" value={f.from} onChange={set("from")} />
        </label>
        <label>
          {t("siteSettings.audit.to")}
          <input type="date" value={f.to} onChange={set("to")} />
        </label>
      </fieldset>
      <FormError error={list.error ?? options.error} />
      {list.isSuccess && items.length === 0 ? (
        <p className="muted">{t("siteSettings.audit.empty")}</p>
      ) : (
        <ol className="audit-list" aria-label={t("siteSettings.audit.title")}>
          {items.map((e) => (
            <li key={e.id} className="card stack audit-entry">
              <p>
                <time dateTime={new Date(e.createdAt).toISOString()}>{formatDateTime(e.createdAt, locale, timeZone)}</time> · <strong>{e.actor?.name ?? t("siteSettings.audit.system")}</strong> ·{" "}
                <code>{e.action}</code> · {e.entityType}
                {e.entityId ? ` ${e.entityId}` : ""}
              </p>
              {fieldsOf(e.before, e.after).length > 0 && (
                <table aria-label={`${e.action} ${e.entityId ?? ""}`.trim()}>
                  <thead>
                    <tr>
                      <th scope="col">{t("siteSettings.audit.field")}</th>
                      <th scope="col">{t("siteSettings.audit.before")}</th>
                      <th scope="col">{t("siteSettings.audit.after")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {fieldsOf(e.before, e.after).map((k) => (
                      <tr key={k}>
                        <th scope="row">{k}</th>
                        <td className="audit-value">{readable(field(e.before, k), t("siteSettings.audit.nothing"))}</td>
                        <td className="audit-value">{readable(field(e.after, k), t("siteSettings.audit.nothing"))}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </li>
          ))}
        </ol>
      )}
      {list.hasNextPage && (
        <div>
          <button type="button" className="secondary" id={`${ids}-more`} disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t("siteSettings.audit.loadMore")}
          </button>
        </div>
      )}
    </div>
  );
}
