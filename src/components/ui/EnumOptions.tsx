"use client";
import { useI18n } from "~/i18n/react";
import { PRIORITIES, TICKET_STATUSES } from "~/shared/enums";
import type { Person } from "~/shared/schemas/person";
import type { TicketCategory } from "~/shared/schemas/tickets";

export function StatusOptions({ exclude = [] }: { exclude?: readonly string[] }) {
  const { t } = useI18n();
  return TICKET_STATUSES.filter((s) => !exclude.includes(s)).map((s) => (
    <option key={s} value={s}>
      {t(`status.${s}`)}
    </option>
  ));
}

export function PriorityOptions() {
  const { t } = useI18n();
  return PRIORITIES.map((p) => (
    <option key={p} value={p}>
      {t(`priority.${p}`)}
    </option>
  ));
}

export function PersonOptions({ people }: { people: Person[] | undefined }) {
  return people?.map((p) => (
    <option key={p.id} value={p.id}>
      {p.name ?? p.email}
    </option>
  ));
}

/** The teams a ticket can be handed to, by name. */
export function TeamOptions({ teams }: { teams: Array<{ id: string; name: string }> | undefined }) {
  return teams?.map((team) => (
    <option key={team.id} value={team.id}>
      {team.name}
    </option>
  ));
}

/** "Sin categoría" and the active ticket categories, named in the page's language. */
export function CategoryOptions({ categories }: { categories: TicketCategory[] | undefined }) {
  const { t, locale } = useI18n();
  return (
    <>
      <option value="">{t("ticketForm.noCategory")}</option>
      {categories?.map((c) => (
        <option key={c.id} value={c.id}>
          {locale === "es" ? c.nameEs : c.nameEn}
        </option>
      ))}
    </>
  );
}
