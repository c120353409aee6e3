// Agents fill in a ticket's custom fields: values checked by the field's type, each change in "Movimientos".
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import type { CustomFieldType } from "~/shared/enums";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";

const OPTIONS = [
  { value: "portatil", labelEs: "Portátil", labelEn: "Laptop" },
  { value: "sobremesa", labelEs: "Sobremesa", labelEn: "Desktop" },
];

async function field(type: CustomFieldType, extra: { required?: boolean; active?: boolean } = {}) {
  return db.customFieldDefinition.create({
    data: { key: `${type.toLowerCase()}-${randomUUID().slice(0, 8)}`, labelEs: `Campo ${type}`, labelEn: `Field ${type}`, type, ...(type === "SELECT" && { options: OPTIONS }), ...extra },
  });
}

async function scene() {
  const { deps, bus } = testDeps();
  const customer = await makeUser("CUSTOMER");
  const agent = await makeUser("AGENT");
  const created = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Campos", description: "x" });
  bus.events.length = 0;
  return { deps, bus, customer, asAgent: await callerFor(deps, agent.id), asCustomer: await callerFor(deps, customer.id), ticketId: created.id, number: created.number };
}

async function refusal(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

describe("custom field values by type", () => {
  it("stores valid values, normalized, and refuses what does not fit the type, changing nothing", async () => {
    const { asAgent, ticketId } = await scene();
    const cases: Array<[CustomFieldType, unknown[], Array<[unknown, unknown]>]> = [
      ["TEXT", [42, true, "x".repeat(1001)], [["  SN-001  ", "SN-001"]]],
      ["NUMBER", ["doce", 1e13, true], [[12.5, 12.5], ["7,25", 7.25]]],
      ["DATE", ["2026-02-30", "02/03/2026", "2026-03-02T10:00:00Z", 20260302], [["2026-03-02", "2026-03-02"]]],
      ["SELECT", ["tableta", 1, "Portátil"], [["sobremesa", "sobremesa"]]],
      ["BOOLEAN", ["true", 1], [[true, true], [false, false]]],
    ];
    for (const [type, bad, good] of cases) {
      const f = await field(type);
      for (const value of bad) {
        const err = await refusal(asAgent.ticket.setCustomField({ ticketId, fieldId: f.id, value: value as string }));
        expect(err.code, `${type} ${String(value)}`).toBe("BAD_REQUEST");
        expect(err.message).toBe(`El valor no es válido para «Campo ${type}».`);
      }
      expect(await db.customFieldValue.count({ where: { ticketId, fieldId: f.id } })).toBe(0);
      for (const [value, stored] of good) {
        await asAgent.ticket.setCustomField({ ticketId, fieldId: f.id, value: value as string });
        expect((await db.customFieldValue.findUniqueOrThrow({ where: { ticketId_fieldId: { ticketId, fieldId: f.id } } })).value).toEqual(stored);
      }
    }
  });

  it("null or an empty text clears a field, unless it is required; unknown and inactive fields are refused", async () => {
    const { asAgent, ticketId } = await scene();
    const text = await field("TEXT");
    await asAgent.ticket.setCustomField({ ticketId, fieldId: text.id, value: "algo" });
    expect(await asAgent.ticket.setCustomField({ ticketId, fieldId: text.id, value: "   " })).toMatchObject({ changed: true });
    expect(await db.customFieldValue.count({ where: { ticketId, fieldId: text.id } })).toBe(0);
    // Clearing what is already empty changes nothing.
    expect(await asAgent.ticket.setCustomField({ ticketId, fieldId: text.id, value: null })).toMatchObject({ changed: false });

    const required = await field("NUMBER", { required: true });
    const err = await refusal(asAgent.ticket.setCustomField({ ticketId, fieldId: required.id, value: null }));
    expect(err.message).toBe("«Campo NUMBER» es obligatorio: no se puede dejar vacío.");

    const inactive = await field("TEXT", { active: false });
    for (const fieldId of [inactive.id, "no-such-field"]) {
      expect((await refusal(asAgent.ticket.setCustomField({ ticketId, fieldId, value: "x" }))).message).toBe("Ese campo personalizado no existe o ya no se usa.");
    }
  });

  it("only staff set values; the customer reads them on their ticket, with the change in Movimientos", async () => {
    const { asAgent, asCustomer, ticketId, number, bus } = await scene();
    const select = await field("SELECT");
    expect((await refusal(asCustomer.ticket.setCustomField({ ticketId, fieldId: select.id, value: "portatil" }))).code).toBe("FORBIDDEN");
    expect((await refusal(asCustomer.ticket.customFields())).code).toBe("FORBIDDEN");

    await asAgent.ticket.setCustomField({ ticketId, fieldId: select.id, value: "portatil" });
    await asAgent.ticket.setCustomField({ ticketId, fieldId: select.id, value: "sobremesa" });
    expect(bus.events.map((e) => e.type)).toEqual(["ticket.updated", "ticket.updated"]);

    const seen = await asCustomer.ticket.get({ number });
    expect(seen.customFields).toEqual([{ value: "sobremesa", field: expect.objectContaining({ id: select.id, type: "SELECT", options: OPTIONS }) }]);
    const changes = seen.events.filter((e) => e.type === "CUSTOM_FIELD_CHANGED");
    expect(changes.map((e) => [e.fromValue, e.toValue, e.customField?.labelEs])).toEqual([
      [null, "portatil", "Campo SELECT"],
      ["portatil", "sobremesa", "Campo SELECT"],
    ]);

    const offered = await asAgent.ticket.customFields();
    expect(offered.find((f) => f.id === select.id)).toMatchObject({ type: "SELECT", options: OPTIONS, required: false });
  });
});

describe("demo custom fields", () => {
  it("are seeded once: a second run adds nothing and keeps an admin's edits", async () => {
    const { seedDemoCustomFields } = await import("~/server/seed/demo-custom-fields");
    await seedDemoCustomFields({ db });
    await db.customFieldDefinition.update({ where: { key: "numero-inventario" }, data: { labelEs: "Nº de inventario" } });
    await seedDemoCustomFields({ db });
    const rows = await db.customFieldDefinition.findMany({ where: { key: { in: ["equipo", "numero-inventario"] } }, orderBy: { position: "asc" } });
    expect(rows.map((r) => [r.key, r.type, r.labelEs])).toEqual([
      ["equipo", "SELECT", "Equipo afectado"],
      ["numero-inventario", "TEXT", "Nº de inventario"],
    ]);
  });
});
