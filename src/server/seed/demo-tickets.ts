import { deflateSync } from "node:zlib";
import type { Deps } from "~/server/modules/deps";
import type { Actor } from "~/server/modules/actor";
import { normalizeFieldValue, type RawFieldValue } from "~/server/modules/custom-fields/field-value";
import { evaluateAsRequester } from "~/server/modules/evaluations/evaluate-ticket";
import { assignTicket } from "~/server/modules/tickets/assign-ticket";
import { createTicket } from "~/server/modules/tickets/create-ticket";
import { replyToTicket } from "~/server/modules/tickets/reply-to-ticket";
import { requestInformation } from "~/server/modules/tickets/request-info";
import { resolveTicket } from "~/server/modules/tickets/resolve";
import { setTicketStatus } from "~/server/modules/tickets/set-status";
import type { Priority } from "~/shared/enums";

/**
 * Demo tickets worth exploring: one in every status, with attachments, evaluations ("Sí me ayudó" /
 * "No me ayudó") and custom-field values. Each ticket is created through the same use-cases as the
 * portal and the agent console (createTicket with a fixed clientRequestId, so a second run finds
 * it and does nothing more); files go through deps.store as mail attachments do.
 */

type Step =
  | { kind: "reply"; by: "agent" | "customer"; body: string }
  | { kind: "note"; body: string }
  | { kind: "assign" }
  | { kind: "status"; to: "IN_PROGRESS" | "CLOSED" | "REJECTED"; reason?: string }
  | { kind: "requestInfo"; body: string }
  | { kind: "resolve"; body: string }
  | { kind: "evaluate"; helpful: boolean; comment?: string };

interface DemoTicket {
  key: string;
  customer: "carla" | "pablo";
  subject: string;
  description: string;
  priority: Priority;
  category: string;
  /** Files on the first message. */
  files?: Array<{ filename: string; contentType: string; content: () => Buffer }>;
  /** Custom-field values by field key; a field that does not exist (yet) is skipped. */
  fields?: Record<string, RawFieldValue>;
  steps: Step[];
}

const EXTRA_CUSTOMERS = [{ email: "pablo@ventanilla.test", name: "Pablo Pérez", role: "CUSTOMER" as const }];

export const DEMO_TICKETS: DemoTicket[] = [
  {
    key: "vpn",
    customer: "carla",
    subject: "No puedo conectarme a la VPN desde casa",
    description: "Desde ayer el cliente VPN dice «No se pudo establecer la conexión» al pulsar Conectar. Adjunto una captura del mensaje.",
    priority: "HIGH",
    category: "accesos",
    files: [{ filename: "captura-vpn.png", contentType: "image/png", content: () => png(320, 120, [31, 95, 191]) }],
    steps: [],
  },
  {
    key: "garantia",
    customer: "carla",
    subject: "Portátil en garantía que no enciende",
    description: "El portátil de contabilidad no enciende ni con el cargador puesto. Lo compramos hace un año; adjunto la factura de compra.",
    priority: "MEDIUM",
    category: "hardware",
    files: [{ filename: "factura-compra.pdf", contentType: "application/pdf", content: () => pdf("Factura de compra F-2025-0412: portatil, 1 unidad") }],
    fields: { equipo: "portatil", "servicio-numero-serie": "5CD1234XYZ", "tipo-asistencia": "garantia", marca: "HP", modelo: "EliteBook 840 G8" },
    steps: [{ kind: "assign" }, { kind: "status", to: "IN_PROGRESS" }, { kind: "reply", by: "agent", body: "Hola Carla, hemos pedido la recogida del equipo: pasará el transportista mañana por la mañana." }],
  },
  {
    key: "factura-duplicada",
    customer: "pablo",
    subject: "Factura de noviembre cobrada dos veces",
    description: "En el extracto del banco aparecen dos cargos de la factura de noviembre.",
    priority: "MEDIUM",
    category: "facturacion",
    steps: [{ kind: "assign" }, { kind: "requestInfo", body: "Hola Pablo, ¿podría indicarnos el número de la factura y la fecha de los dos cargos?" }],
  },
  {
    key: "contrasena",
    customer: "carla",
    subject: "No recibo el correo para restablecer la contraseña",
    description: "Pulso «¿Olvidó su contraseña?» pero el correo no llega, tampoco al correo no deseado.",
    priority: "LOW",
    category: "accesos",
    steps: [
      { kind: "assign" },
      { kind: "note", body: "El filtro del servidor de correo del cliente retenía nuestros mensajes: añadida la excepción." },
      { kind: "resolve", body: "Su servidor de correo retenía nuestros mensajes. Ya está corregido: vuelva a pedir el enlace y le llegará en unos minutos." },
    ],
  },
  {
    key: "impresora-rayas",
    customer: "carla",
    subject: "La impresora de la planta 2 imprime con rayas",
    description: "Todas las hojas salen con una raya gris vertical en el lado izquierdo. Adjunto una hoja escaneada.",
    priority: "MEDIUM",
    category: "hardware",
    files: [{ filename: "hoja-con-rayas.png", contentType: "image/png", content: () => png(200, 280, [120, 120, 120]) }],
    fields: { equipo: "impresora", "numero-inventario": "INV-P2-0042" },
    steps: [
      { kind: "assign" },
      { kind: "resolve", body: "Hemos cambiado el tambor de imagen. Las copias de prueba salen limpias." },
      { kind: "evaluate", helpful: true, comment: "Perfecto, ya imprime bien. ¡Gracias!" },
      { kind: "status", to: "CLOSED" },
    ],
  },
  {
    key: "programa-lento",
    customer: "pablo",
    subject: "El programa de contabilidad va muy lento",
    description: "Desde la actualización del lunes, abrir un asiento tarda más de un minuto.",
    priority: "HIGH",
    category: "software",
    steps: [
      { kind: "assign" },
      { kind: "reply", by: "customer", body: "Sigue igual esta mañana, y a mis compañeros también les pasa." },
      { kind: "resolve", body: "Hemos reiniciado el servidor de la base de datos; debería ir con normalidad." },
      { kind: "evaluate", helpful: false, comment: "Mejoró un rato, pero a mediodía volvía a ir lento." },
      { kind: "status", to: "CLOSED" },
    ],
  },
  {
    key: "incompleto",
    customer: "pablo",
    subject: "ayuda",
    description: "No funciona.",
    priority: "LOW",
    category: "software",
    steps: [{ kind: "status", to: "REJECTED", reason: "El ticket no indica qué no funciona. Abra uno nuevo con el programa, el mensaje de error y desde cuándo ocurre." }],
  },
];

/** Seeds the demo tickets not yet there. Returns how many it created. Pass a recording bus: the demo mails nobody. */
export async function seedDemoTickets(deps: Deps): Promise<number> {
  const { db } = deps;
  for (const u of EXTRA_CUSTOMERS) await db.user.upsert({ where: { email: u.email }, create: { ...u, emailVerified: deps.clock.now() }, update: {} });
  const people = await db.user.findMany({
    where: { email: { in: ["cliente@ventanilla.test", "pablo@ventanilla.test", "agente@ventanilla.test"] } },
    select: { id: true, email: true, role: true },
  });
  const byEmail = (email: string): Actor => {
    const u = people.find((p) => p.email === email);
    if (!u) throw new Error(`demo user ${email} missing: run the demo users' seed first`);
    return { id: u.id, role: u.role, locale: "es" };
  };
  const agent = byEmail("agente@ventanilla.test");
  const customers = { carla: byEmail("cliente@ventanilla.test"), pablo: byEmail("pablo@ventanilla.test") };
  const serviceCategory = await db.category.findFirst({ where: { nameEs: "Servicio técnico" }, select: { id: true } });

  let created = 0;
  for (const d of DEMO_TICKETS) {
    const customer = customers[d.customer];
    // Seed 002's ticket goes to "Servicio técnico" when it exists; the category's own fields go with the ticket (its required ones are checked).
    const category = d.fields?.["tipo-asistencia"] && serviceCategory ? serviceCategory : await db.category.findUnique({ where: { slug: d.category }, select: { id: true } });
    const ticket = await createTicket(deps, customer, {
      subject: d.subject,
      description: d.description,
      priority: d.priority,
      categoryId: category?.id ?? null,
      fields: category ? await categoryFieldValues(deps, category.id, d.fields ?? {}) : {},
      clientRequestId: `demo-ticket-${d.key}`,
    });
    if (!ticket.created) continue;
    created++;
    await attachFiles(deps, ticket.id, d.files ?? []);
    await setFieldValues(deps, ticket.id, d.fields ?? {});
    for (const step of d.steps) await runStep(deps, step, ticket.id, agent, customer);
  }
  return created;
}

async function runStep(deps: Deps, step: Step, ticketId: string, agent: Actor, customer: Actor) {
  switch (step.kind) {
    case "reply":
      return replyToTicket(deps, step.by === "agent" ? agent : customer, { ticketId, body: step.body });
    case "note":
      return replyToTicket(deps, agent, { ticketId, body: step.body, internal: true });
    case "assign":
      return assignTicket(deps, agent, { ticketId, assigneeId: agent.id });
    case "status":
      return setTicketStatus(deps, agent, { ticketId, status: step.to, reason: step.reason });
    case "requestInfo":
      return requestInformation(deps, agent, { ticketId, body: step.body });
    case "resolve":
      return resolveTicket(deps, agent, { ticketId, body: step.body });
    case "evaluate":
      return evaluateAsRequester(deps, customer, { ticketId, helpful: step.helpful, comment: step.comment });
  }
}

/** Stored through the blob store as mail attachments are, and tied to the ticket's first message. */
async function attachFiles(deps: Deps, ticketId: string, files: NonNullable<DemoTicket["files"]>) {
  if (files.length === 0) return;
  const first = await deps.db.message.findFirstOrThrow({ where: { ticketId }, orderBy: { createdAt: "asc" }, select: { id: true } });
  for (const f of files) {
    const blob = await deps.store.put("att", f.content());
    await deps.db.attachment.create({
      data: { ticketId, messageId: first.id, filename: f.filename, contentType: f.contentType, size: blob.size, sha256: blob.sha256, storageKey: blob.key },
    });
  }
}

/** The category's own fields among the demo's values, by field id (what the new-ticket form sends). */
async function categoryFieldValues(deps: Deps, categoryId: string, values: Record<string, RawFieldValue>): Promise<Record<string, RawFieldValue>> {
  const own = await deps.db.customFieldDefinition.findMany({ where: { categoryId, active: true, key: { in: Object.keys(values) } }, select: { id: true, key: true } });
  return Object.fromEntries(own.map((f) => [f.id, values[f.key] ?? null]));
}

/** Values for the fields that exist, by key (the "Servicio técnico" fields may not, depending on what is installed). */
async function setFieldValues(deps: Deps, ticketId: string, values: Record<string, RawFieldValue>) {
  const keys = Object.keys(values);
  if (keys.length === 0) return;
  const fields = await deps.db.customFieldDefinition.findMany({ where: { key: { in: keys } }, select: { id: true, key: true, type: true, options: true } });
  for (const f of fields) {
    // Checked as an agent's value would be: a dropdown whose options differ from the demo's gets nothing.
    const value = normalizeFieldValue(f, values[f.key] ?? null);
    if (value === null || value === "invalid") continue;
    await deps.db.customFieldValue.upsert({ where: { ticketId_fieldId: { ticketId, fieldId: f.id } }, create: { ticketId, fieldId: f.id, value }, update: {} });
  }
}

/** A small valid PNG of one colour (a stand-in for a screenshot), made here so the repository holds no binaries. */
function png(width: number, height: number, [r, g, b]: [number, number, number] | number[]): Buffer {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r!, g!, b!], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** A one-page PDF with one line of text. */
function pdf(text: string): Buffer {
  const stream = `BT /F1 14 Tf 72 720 Td (${text.replace(/[()\\]/g, "")}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}
