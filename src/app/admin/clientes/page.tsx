"use client";
import { keepPreviousData } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useDebounced } from "~/components/kb/useDebounced";
import { FormError } from "~/components/ui/FormError";
import { formatDate } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

/** Admin: customers (/admin/clientes), newest first, searched by name, address or company, in cursor pages. */
export default function CustomersPage() {
  const { t, locale } = useI18n();
  const ids = useId();
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 250);
  const list = api.people.customers.useInfiniteQuery(
    { q: q || undefined, limit: 50 },
    { getNextPageParam: (last) => last.nextCursor, placeholderData: keepPreviousData },
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="stack">
      <h1>{t("people.customers.title")}</h1>
      <p className="muted">{t("people.customers.intro")}</p>
      <label>
        {t("people.customers.search")}
        <input type="search" value={search} maxLength={200} onChange={(e) => setSearch(e.target.value)} />
      </label>
      <FormError error={list.error} />
      <section aria-labelledby={`${ids}-list`} className="stack">
        <h2 id={`${ids}-list`} className="visually-hidden">
          {t("people.customers.list")}
        </h2>
        {list.isSuccess && items.length === 0 ? (
          <p className="muted">{t("people.customers.empty")}</p>
        ) : (
          <table aria-labelledby={`${ids}-list`} className="people-table">
            <thead>
              <tr>
                <th scope="col">{t("people.customers.name")}</th>
                <th scope="col">{t("people.customers.email")}</th>
                <th scope="col">{t("people.customers.organization")}</th>
                <th scope="col">{t("people.customers.company")}</th>
                <th scope="col">{t("people.customers.createdAt")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} data-customer={c.email}>
                  <th scope="row">{c.name ?? "—"}</th>
                  <td style={{ overflowWrap: "anywhere" }}>{c.email}</td>
                  <td>{c.organization?.name ?? t("people.customers.noOrganization")}</td>
                  <td>{c.company ?? "—"}</td>
                  <td>{formatDate(c.createdAt, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {list.hasNextPage && (
        <div>
          <button type="button" className="secondary" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t("people.customers.more")}
          </button>
        </div>
      )}
    </div>
  );
}
