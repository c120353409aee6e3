import type { Deps } from "~/server/modules/deps";

/**
 * Two fields agents fill in while diagnosing (seed 003: classify), one of them a dropdown. Not a serial
 * number: Servicio técnico's own form already asks the customer for it (seed 001), and the ticket showed it twice.
 */
const FIELDS = [
  {
    key: "equipo",
    labelEs: "Equipo afectado",
    labelEn: "Affected device",
    type: "SELECT" as const,
    position: 1,
    options: [
      { value: "portatil", labelEs: "Portátil", labelEn: "Laptop" },
      { value: "sobremesa", labelEs: "Ordenador de sobremesa", labelEn: "Desktop computer" },
      { value: "impresora", labelEs: "Impresora", labelEn: "Printer" },
      { value: "movil", labelEs: "Teléfono móvil", labelEn: "Mobile phone" },
    ],
  },
  { key: "numero-inventario", labelEs: "Número de inventario", labelEn: "Asset tag", type: "TEXT" as const, position: 2 },
];

/** Idempotent: a field that exists (by key) is left as an admin may have changed it. */
export async function seedDemoCustomFields(deps: Pick<Deps, "db">): Promise<void> {
  for (const f of FIELDS) await deps.db.customFieldDefinition.upsert({ where: { key: f.key }, create: f, update: {} });
}
