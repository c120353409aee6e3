"use client";
import { refetchAfterWrite, useSavedAction } from "~/components/admin/useSavedAction";
import { useParams } from "next/navigation";
import { useState } from "react";
import { FieldForm, type FieldDraft } from "~/components/catalog/FieldForm";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

type ClientError = { message: string };

/** Admin: one category's custom fields, in the order the new-ticket form asks them. */
export default function CategoryFieldsPage() {
  const { id } = useParams<{ id: string }>();
  const { t, locale } = useI18n();
  const utils = api.useUtils();
  const category = api.catalog.category.useQuery({ id });
  const fields = api.catalog.fields.useQuery({ id });
  const create = api.catalog.createField.useMutation();
  const update = api.catalog.updateField.useMutation();
  const move = api.catalog.moveField.useMutation();
  const [editing, setEditing] = useState<string | null>(null);

  const { run, error, notice } = useSavedAction(t("catalog.saved"), refetchAfterWrite(utils.catalog.fields, { id }));

  const draftInput = (d: FieldDraft) => ({ ...d, helpTextEs: d.helpTextEs || null, helpTextEn: d.helpTextEn || null });
  if (category.error) return <FormError error={category.error} />;
  const name = category.data ? (locale === "en" ? category.data.nameEn : category.data.nameEs) : "";
  const rows = fields.data ?? [];

  return (
    <section className="stack catalog-admin">
      <p>
        <a href="/admin/categorias">{t("catalog.backToCategories")}</a>
      </p>
      <h1>{t("catalog.fieldsTitle", { name })}</h1>
      <p className="muted">{t("catalog.fieldsIntro")}</p>
      <FormError error={error} />
      {notice && (
        <p role="status" className="muted">
          {notice}
        </p>
      )}
      {fields.data && rows.length === 0 && <p>{t("catalog.noFields")}</p>}
      {rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("catalog.order")}</th>
              <th scope="col">{t("catalog.labelEs")}</th>
              <th scope="col">{t("catalog.type")}</th>
              <th scope="col">{t("catalog.required")}</th>
              <th scope="col">{t("catalog.status")}</th>
              <th scope="col">{t("catalog.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((f, i) => {
              const label = locale === "en" ? f.labelEn : f.labelEs;
              return (
                <tr key={f.id} className={f.active ? undefined : "muted"}>
                  <td>
                    <button type="button" className="icon" disabled={i === 0} aria-label={t("catalog.moveUp", { name: label })} onClick={() => run(() => move.mutateAsync({ id: f.id, direction: "up" }))}>
                      ↑
                    </button>
                    <button
                      type="button"
                      className="icon"
                      disabled={i === rows.length - 1}
                      aria-label={t("catalog.moveDown", { name: label })}
                      onClick={() => run(() => move.mutateAsync({ id: f.id, direction: "down" }))}
                    >
                      ↓
                    </button>
                  </td>
                  <td>
                    {f.labelEs} <span className="muted">/ {f.labelEn}</span>
                    {f.type === "SELECT" && <div className="muted">{f.options.map((o) => o.labelEs).join(" · ")}</div>}
                  </td>
                  <td>{t(`catalog.types.${f.type}`)}</td>
                  <td>{f.required ? t("catalog.required") : t("catalog.optional")}</td>
                  <td>{f.active ? t("catalog.activeField") : t("catalog.inactiveField")}</td>
                  <td className="row">
                    <button type="button" onClick={() => setEditing(f.id)} aria-label={`${t("catalog.rename")} ${label}`}>
                      {t("catalog.rename")}
                    </button>
                    <button type="button" onClick={() => run(() => update.mutateAsync({ id: f.id, active: !f.active }))} aria-label={`${f.active ? t("catalog.deactivate") : t("catalog.activate")} ${label}`}>
                      {f.active ? t("catalog.deactivate") : t("catalog.activate")}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {editing && rows.find((f) => f.id === editing) && (
        <FieldForm
          key={editing}
          field={rows.find((f) => f.id === editing)}
          pending={update.isPending}
          onCancel={() => setEditing(null)}
          onSave={async (d) => {
            const { type: _type, ...rest } = draftInput(d);
            const ok = await run(() => update.mutateAsync({ id: editing, ...rest, options: d.type === "SELECT" ? d.options : undefined }));
            if (ok) setEditing(null);
            return ok;
          }}
        />
      )}
      <FieldForm pending={create.isPending} onSave={(d) => run(() => create.mutateAsync({ categoryId: id, ...draftInput(d) }))} />
    </section>
  );
}
