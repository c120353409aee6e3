"use client";
import { useI18n } from "~/i18n/react";
import { PRIORITIES, TICKET_STATUSES } from "~/shared/enums";
import type { Person } from "~/shared/schemas/person";

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
