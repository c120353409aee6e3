import { hashPassword } from "~/server/auth/password";
import type { Deps } from "~/server/modules/deps";
import { createTicket } from "~/server/modules/tickets/create-ticket";
import { replyToTicket } from "~/server/modules/tickets/reply-to-ticket";
import type { Role } from "~/shared/enums";
import { seedDemoCustomFields } from "./demo-custom-fields";

export const DEMO_PASSWORD = "ventanilla-demo";
export const DEMO_USERS: Array<{ email: string; name: string; role: Role }> = [
  { email: "admin@ventanilla.test", name: "Ana Administradora", role: "ADMIN" },
  { email: "agente@ventanilla.test", name: "Luis Agente", role: "AGENT" },
  { email: "cliente@ventanilla.test", name: "Carla Cliente", role: "CUSTOMER" },
];

const CATEGORIES = [
  { slug: "hardware", nameEs: "Hardware", nameEn: "Hardware" },
  { slug: "software", nameEs: "Software", nameEn: "Software" },
  { slug: "accesos", nameEs: "Cuentas y accesos", nameEn: "Accounts and access" },
  { slug: "facturacion", nameEs: "Facturación", nameEn: "Billing" },
];

/** Knowledge-base sections (apart from ticket categories: articles are grouped for readers, not for routing). */
const KB_CATEGORIES = [
  { slug: "primeros-pasos", nameEs: "Primeros pasos", nameEn: "Getting started", position: 1 },
  { slug: "cuentas-y-accesos", nameEs: "Cuentas y accesos", nameEn: "Accounts and access", position: 2 },
  { slug: "equipos-e-impresoras", nameEs: "Equipos e impresoras", nameEn: "Devices and printers", position: 3 },
  { slug: "red-y-conexion", nameEs: "Red y conexión", nameEn: "Network and connection", position: 4 },
  { slug: "aplicaciones", nameEs: "Aplicaciones", nameEn: "Applications", position: 5 },
];

/** Demo users, categories and two example tickets. Idempotent: a second run adds nothing. */
/** Demo categories, users and two tickets. Idempotent. Pass a recording bus: the demo mails nobody. */
export async function seedDemo(deps: Deps): Promise<{ created: boolean }> {
  const { db } = deps;
  for (const c of CATEGORIES) await db.category.upsert({ where: { slug: c.slug }, create: c, update: {} });
  for (const c of KB_CATEGORIES) await db.kbCategory.upsert({ where: { slug: c.slug }, create: c, update: {} });
  await seedDemoCustomFields(deps);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users: Record<string, string> = {};
  for (const u of DEMO_USERS) {
    const row = await db.user.upsert({
      where: { email: u.email },
      create: { ...u, passwordHash, emailVerified: new Date() },
      update: {},
    });
    users[u.role] = row.id;
  }
  const customerId = users.CUSTOMER!;
  if ((await db.ticket.count({ where: { requesterId: customerId } })) > 0) return { created: false };

    const customer = { id: customerId, role: "CUSTOMER" as const, locale: "es" as const };
  const agent = { id: users.AGENT!, role: "AGENT" as const, locale: "es" as const };
  const software = await db.category.findUniqueOrThrow({ where: { slug: "software" } });
  const hardware = await db.category.findUniqueOrThrow({ where: { slug: "hardware" } });
  await createTicket(deps, customer, {
    subject: "La impresora de recepción no imprime",
    description: "Desde esta mañana la impresora de recepción muestra «Error 50.4» y no imprime nada.",
    priority: "HIGH",
    categoryId: hardware.id,
    clientRequestId: "demo-seed-printer",
  });
  const second = await createTicket(deps, customer, {
    subject: "No puedo exportar el informe mensual",
    description: "Al exportar el informe de ventas a Excel aparece un error de permisos.",
    priority: "MEDIUM",
    categoryId: software.id,
    clientRequestId: "demo-seed-export",
  });
  await replyToTicket(deps, agent, { ticketId: second.id, body: "Hola Carla, ¿podría indicarnos qué usuario utiliza para exportar?" });
  return { created: true };
}
