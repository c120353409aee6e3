import type { Deps } from "~/server/modules/deps";

export const DEMO_CANNED_REPLIES = [
  {
    title: "Saludo y acuse de recibo",
    language: "es",
    body: `Hola {{cliente.nombre}}:

Gracias por escribirnos. Hemos recibido su consulta (ticket #{{ticket.numero}}) y ya estamos trabajando en ella. Le responderemos lo antes posible.

Un saludo,
{{agente.nombre}}`,
  },
  {
    title: "Solicitud de más información",
    language: "es",
    body: `Hola {{cliente.nombre}}:

Para avanzar con el ticket #{{ticket.numero}} necesitamos algunos datos más: el modelo del equipo, el mensaje de error exacto y desde cuándo ocurre. Si tiene capturas de pantalla, adjúntelas a su respuesta.

Gracias,
{{agente.nombre}}`,
  },
  {
    title: "Greeting",
    language: "en",
    body: `Hello {{customer.name}},

Thank you for contacting us. We have received your request (ticket #{{ticket.number}}) and are working on it.

Best regards,
{{agent.name}}`,
  },
] as const;

/** The demo's canned replies, each added once (by title): a second run adds nothing. */
export async function seedDemoCannedReplies(deps: Pick<Deps, "db">, adminId: string): Promise<number> {
  let added = 0;
  for (const r of DEMO_CANNED_REPLIES) {
    if (await deps.db.cannedReply.findFirst({ where: { title: r.title }, select: { id: true } })) continue;
    await deps.db.cannedReply.create({ data: { ...r, createdById: adminId } });
    added++;
  }
  return added;
}
