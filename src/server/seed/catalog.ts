import type { Deps } from "~/server/modules/deps";

// Keys and option values are the ones the demo tickets (demo-tickets.ts) fill in. Databases seeded before
// session 8 also hold a "numero-serie" field common to every ticket, hence the "servicio-" prefix.
/** Seed 002's "Servicio técnico": the customer says what kind of help, the brand, and optionally the model and serial number. */
const SERVICE = { slug: "servicio-tecnico", nameEs: "Servicio técnico", nameEn: "Technical service", usesProducts: true, position: 0 };

const opt = (value: string, labelEs: string, labelEn: string) => ({ value, labelEs, labelEn });

const FIELDS = [
  {
    key: "tipo-asistencia",
    labelEs: "Tipo de asistencia",
    labelEn: "Kind of assistance",
    type: "SELECT" as const,
    required: true,
    position: 1,
    helpTextEs: "¿Con qué lo podemos ayudar a resolver su ticket?",
    helpTextEn: "What can we help you with?",
    options: [
      opt("asesoramiento-compra", "Asesoramiento / Compra", "Advice / Purchase"),
      opt("garantia", "Servicio técnico / Garantía", "Technical service / Warranty"),
      opt("administracion-logistica", "Administración / Logística", "Administration / Logistics"),
    ],
  },
  {
    key: "marca",
    labelEs: "Marca",
    labelEn: "Brand",
    type: "SELECT" as const,
    required: true,
    position: 2,
    helpTextEs: "La marca del producto del que desea asistencia.",
    helpTextEn: "The brand of the product you need help with.",
    options: [
      opt("HP", "HP", "HP"),
      opt("Epson", "Epson", "Epson"),
      opt("Brother", "Brother", "Brother"),
      opt("Lenovo", "Lenovo", "Lenovo"),
      opt("Dell", "Dell", "Dell"),
      opt("Samsung", "Samsung", "Samsung"),
      opt("otra", "Otra", "Other"),
    ],
  },
  {
    key: "modelo",
    labelEs: "Modelo",
    labelEn: "Model",
    type: "TEXT" as const,
    required: false,
    position: 3,
    helpTextEs: "Puede aclararnos si se trata de un modelo en particular.",
    helpTextEn: "Tell us if it is a particular model.",
  },
  {
    key: "servicio-numero-serie",
    labelEs: "Número de serie",
    labelEn: "Serial number",
    type: "TEXT" as const,
    required: false,
    position: 4,
    helpTextEs: "Muy útil cuando se trata de procesos por garantías.",
    helpTextEn: "Very useful for warranty claims.",
  },
];

const PRODUCTS = [
  "HP LaserJet Pro M404dn",
  "HP OfficeJet Pro 9010",
  "Epson EcoTank L3250",
  "Brother HL-L2350DW",
  "Lenovo ThinkPad E14",
  "Dell Latitude 5440",
  "Samsung Galaxy Tab A9",
];

/**
 * The demo's "Servicio técnico" category with seed 002's fields, and a few products to look up.
 * Idempotent: what exists (by slug, key or name) is left as an admin may have changed it.
 */
export async function seedCatalog(deps: Pick<Deps, "db">): Promise<void> {
  const { db } = deps;
  const category = await db.category.upsert({ where: { slug: SERVICE.slug }, create: SERVICE, update: {}, select: { id: true } });
  for (const f of FIELDS) await db.customFieldDefinition.upsert({ where: { key: f.key }, create: { ...f, categoryId: category.id }, update: {} });
  for (const name of PRODUCTS) await db.product.upsert({ where: { name }, create: { name }, update: {} });
}
