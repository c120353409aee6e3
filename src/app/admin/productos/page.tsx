"use client";
import { refetchAfterWrite, useSavedAction } from "~/components/admin/useSavedAction";
import { keepPreviousData } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useDebounced } from "~/components/kb/useDebounced";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

type ClientError = { message: string };

/** Admin: the products customers look up on the new-ticket form (in categories that ask for one). */
export default function ProductsPage() {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const utils = api.useUtils();
  const [search, setSearch] = useState("");
  const [includeInactive, setIncludeInactive] = useState(true);
  const q = useDebounced(search.trim(), 250);
  const list = api.catalog.products.useQuery({ q, includeInactive }, { placeholderData: keepPreviousData });
  const create = api.catalog.createProduct.useMutation();
  const update = api.catalog.updateProduct.useMutation();
  const [editing, setEditing] = useState<string | null>(null);

  const { run, error, notice } = useSavedAction(t("catalog.saved"), refetchAfterWrite(utils.catalog.products));

  async function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const name = String(new FormData(form).get("name") ?? "");
    if (await run(() => create.mutateAsync({ name }))) form.reset();
  }

  return (
    <section className="stack catalog-admin">
      <h1>{t("catalog.productsTitle")}</h1>
      <p className="muted">{t("catalog.productsIntro")}</p>
      <form className="card row" onSubmit={onCreate} aria-labelledby="new-product">
        <h2 id="new-product">{t("catalog.newProduct")}</h2>
        <label>
          {t("catalog.productName")} *
          <input name="name" required aria-required="true" maxLength={120} />
        </label>
        <button type="submit" disabled={!hydrated || create.isPending}>
          {t("catalog.create")}
        </button>
      </form>
      <FormError error={error} />
      {notice && (
        <p role="status" className="muted">
          {notice}
        </p>
      )}
      <div className="row">
        <label>
          {t("catalog.search")}
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label className="inline">
          <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} /> {t("catalog.showInactive")}
        </label>
      </div>
      {list.data && list.data.length === 0 && <p>{t("catalog.noProducts")}</p>}
      {list.data && list.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("catalog.productName")}</th>
              <th scope="col">{t("catalog.status")}</th>
              <th scope="col">{t("catalog.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((p) => (
              <tr key={p.id} className={p.active ? undefined : "muted"}>
                <td>
                  {editing === p.id ? (
                    <form
                      className="row"
                      onSubmit={async (e) => {
                        e.preventDefault();
                        const name = String(new FormData(e.currentTarget).get("name") ?? "");
                        if (await run(() => update.mutateAsync({ id: p.id, name }))) setEditing(null);
                      }}
                    >
                      <label>
                        {t("catalog.productName")} *
                        <input name="name" defaultValue={p.name} required aria-required="true" maxLength={120} />
                      </label>
                      <button type="submit">{t("catalog.save")}</button>
                      <button type="button" onClick={() => setEditing(null)}>
                        {t("catalog.cancel")}
                      </button>
                    </form>
                  ) : (
                    p.name
                  )}
                </td>
                <td>{p.active ? t("catalog.activeField") : t("catalog.inactiveField")}</td>
                <td className="row">
                  <button type="button" onClick={() => setEditing(p.id)} aria-label={`${t("catalog.rename")} ${p.name}`}>
                    {t("catalog.rename")}
                  </button>
                  <button type="button" onClick={() => run(() => update.mutateAsync({ id: p.id, active: !p.active }))} aria-label={`${p.active ? t("catalog.deactivate") : t("catalog.activate")} ${p.name}`}>
                    {p.active ? t("catalog.deactivate") : t("catalog.activate")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
