"use client";
import { refetchAfterWrite, useSavedAction } from "~/components/admin/useSavedAction";
import { useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import { useI18n } from "~/i18n/react";
import type { AdminCategory } from "~/shared/schemas/catalog";
import { api } from "~/trpc/react";

type ClientError = { message: string };

/** Admin: the ticket categories (the customer's "motivo"), their order, names and whether they ask for a product. */
export default function CategoriesPage() {
  const { t, locale } = useI18n();
  const hydrated = useHydrated();
  const utils = api.useUtils();
  const list = api.catalog.categories.useQuery();
  const create = api.catalog.createCategory.useMutation();
  const update = api.catalog.updateCategory.useMutation();
  const move = api.catalog.moveCategory.useMutation();
  const [editing, setEditing] = useState<string | null>(null);

  const { run, error, notice } = useSavedAction(t("catalog.saved"), refetchAfterWrite(utils.catalog.categories));

  async function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const ok = await run(() =>
      create.mutateAsync({ nameEs: String(f.get("nameEs") ?? ""), nameEn: String(f.get("nameEn") ?? ""), usesProducts: f.get("usesProducts") === "on" }),
    );
    if (ok) form.reset();
  }

  const name = (c: AdminCategory) => (locale === "en" ? c.nameEn : c.nameEs);
  const rows = list.data ?? [];

  return (
    <section className="stack catalog-admin">
      <h1>{t("catalog.categoriesTitle")}</h1>
      <p className="muted">{t("catalog.categoriesIntro")}</p>
      <form className="card stack" onSubmit={onCreate} aria-labelledby="new-category">
        <h2 id="new-category">{t("catalog.newCategory")}</h2>
        <div className="row">
          <label>
            {t("catalog.nameEs")} *
            <input name="nameEs" required maxLength={80} aria-required="true" />
          </label>
          <label>
            {t("catalog.nameEn")} *
            <input name="nameEn" required maxLength={80} aria-required="true" />
          </label>
          <label className="inline">
            <input type="checkbox" name="usesProducts" /> {t("catalog.usesProducts")}
          </label>
        </div>
        <div>
          <button type="submit" disabled={!hydrated || create.isPending}>
            {t("catalog.create")}
          </button>
        </div>
      </form>
      <FormError error={error} />
      {notice && (
        <p role="status" className="muted">
          {notice}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t("catalog.order")}</th>
            <th scope="col">{t("catalog.nameEs")}</th>
            <th scope="col">{t("catalog.nameEn")}</th>
            <th scope="col">{t("catalog.status")}</th>
            <th scope="col">{t("catalog.fields")}</th>
            <th scope="col">{t("catalog.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c, i) =>
            editing === c.id ? (
              <tr key={c.id}>
                <td colSpan={6}>
                  <form
                    className="row"
                    onSubmit={async (e) => {
                      e.preventDefault();
                      const f = new FormData(e.currentTarget);
                      const ok = await run(() =>
                        update.mutateAsync({ id: c.id, nameEs: String(f.get("nameEs") ?? ""), nameEn: String(f.get("nameEn") ?? ""), usesProducts: f.get("usesProducts") === "on" }),
                      );
                      if (ok) setEditing(null);
                    }}
                  >
                    <label>
                      {t("catalog.nameEs")} *
                      <input name="nameEs" defaultValue={c.nameEs} required maxLength={80} aria-required="true" />
                    </label>
                    <label>
                      {t("catalog.nameEn")} *
                      <input name="nameEn" defaultValue={c.nameEn} required maxLength={80} aria-required="true" />
                    </label>
                    <label className="inline">
                      <input type="checkbox" name="usesProducts" defaultChecked={c.usesProducts} /> {t("catalog.usesProducts")}
                    </label>
                    <button type="submit">{t("catalog.save")}</button>
                    <button type="button" onClick={() => setEditing(null)}>
                      {t("catalog.cancel")}
                    </button>
                  </form>
                </td>
              </tr>
            ) : (
              <tr key={c.id} className={c.active ? undefined : "muted"}>
                <td>
                  <button type="button" className="icon" disabled={i === 0} aria-label={t("catalog.moveUp", { name: name(c) })} onClick={() => run(() => move.mutateAsync({ id: c.id, direction: "up" }))}>
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon"
                    disabled={i === rows.length - 1}
                    aria-label={t("catalog.moveDown", { name: name(c) })}
                    onClick={() => run(() => move.mutateAsync({ id: c.id, direction: "down" }))}
                  >
                    ↓
                  </button>
                </td>
                <td>{c.nameEs}</td>
                <td>{c.nameEn}</td>
                <td>{c.active ? t("catalog.active") : t("catalog.inactive")}</td>
                <td>
                  {c.fieldCount}
                  {c.usesProducts && <span className="muted"> · {t("catalog.usesProducts")}</span>}
                </td>
                <td className="row">
                  <button type="button" onClick={() => setEditing(c.id)} aria-label={`${t("catalog.rename")} ${name(c)}`}>
                    {t("catalog.rename")}
                  </button>
                  <button type="button" onClick={() => run(() => update.mutateAsync({ id: c.id, active: !c.active }))} aria-label={`${c.active ? t("catalog.deactivate") : t("catalog.activate")} ${name(c)}`}>
                    {c.active ? t("catalog.deactivate") : t("catalog.activate")}
                  </button>
                  <a href={`/admin/categorias/${c.id}`}>{t("catalog.editFields", { name: name(c) })}</a>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}
