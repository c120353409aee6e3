// Categories carry their own custom fields: one set of rules checks them in the browser, on creation and when an agent edits them.
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { checkFieldValue, checkFieldValues, type FieldRule, type RawFieldValue } from "~/shared/custom-field-rules";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";

const OPTIONS = [
  { value: "garantia", labelEs: "Garantía", labelEn: "Warranty" },
  { value: "compra", labelEs: "Compra", labelEn: "Purchase" },
];

async function refusal(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

function fieldErrors(err: TRPCError): Record<string, string[]> {
  // What the error formatter sends the form: the ZodError's issues by path.
  const issues = (err.cause as { issues?: Array<{ path: string[]; message: string }> }).issues ?? [];
  return Object.fromEntries(issues.map((i) => [i.path.join("."), [i.message]]));
}

describe("the value rules, per type (shared by the form, creation and the agent)", () => {
  const cases: Array<[string, FieldRule, RawFieldValue | undefined, ReturnType<typeof checkFieldValue>]> = [
    ["text trimmed", { type: "TEXT", options: null }, "  AB-12 ", { ok: true, value: "AB-12" }],
    ["text empty, optional", { type: "TEXT", options: null }, "   ", { ok: true, value: null }],
    ["text empty, required", { type: "TEXT", options: null, required: true }, " ", { ok: false, code: "CUSTOM_FIELD_MISSING" }],
    ["text too long", { type: "TEXT", options: null }, "x".repeat(1001), { ok: false, code: "CUSTOM_FIELD_INVALID" }],
    ["text not a string", { type: "TEXT", options: null }, 5, { ok: false, code: "CUSTOM_FIELD_INVALID" }],
    ["number with a comma", { type: "NUMBER", options: null }, "7,5", { ok: true, value: 7.5 }],
    ["number as number", { type: "NUMBER", options: null }, 12, { ok: true, value: 12 }],
    ["number not parseable", { type: "NUMBER", options: null }, "doce", { ok: false, code: "CUSTOM_FIELD_INVALID" }],
    ["number missing, required", { type: "NUMBER", options: null, required: true }, undefined, { ok: false, code: "CUSTOM_FIELD_MISSING" }],
    ["date a calendar day", { type: "DATE", options: null }, "2026-02-28", { ok: true, value: "2026-02-28" }],
    ["date impossible", { type: "DATE", options: null }, "2026-02-30", { ok: false, code: "CUSTOM_FIELD_INVALID" }],
    ["date in another format", { type: "DATE", options: null }, "28/02/2026", { ok: false, code: "CUSTOM_FIELD_INVALID" }],
    ["dropdown option", { type: "SELECT", options: OPTIONS }, "compra", { ok: true, value: "compra" }],
    ["dropdown unknown option", { type: "SELECT", options: OPTIONS }, "Compra", { ok: false, code: "CUSTOM_FIELD_INVALID" }],
    ["dropdown unset, required", { type: "SELECT", options: OPTIONS, required: true }, "", { ok: false, code: "CUSTOM_FIELD_MISSING" }],
    ["checkbox ticked", { type: "BOOLEAN", options: null }, true, { ok: true, value: true }],
    ["checkbox as text", { type: "BOOLEAN", options: null }, "true", { ok: false, code: "CUSTOM_FIELD_INVALID" }],
    ["checkbox required, unticked", { type: "BOOLEAN", options: null, required: true }, false, { ok: false, code: "CUSTOM_FIELD_MISSING" }],
  ];
  it.each(cases)("%s", (_name, rule, raw, expected) => {
    expect(checkFieldValue(rule, raw)).toEqual(expected);
  });

  it("checks every field at once and refuses an id of no field of the category", () => {
    const defs = [
      { id: "a", type: "SELECT" as const, options: OPTIONS, required: true },
      { id: "b", type: "TEXT" as const, options: null },
    ];
    expect(checkFieldValues(defs, { b: "x", z: "y" })).toEqual({
      values: [{ fieldId: "b", value: "x" }],
      errors: { a: "CUSTOM_FIELD_MISSING", z: "CUSTOM_FIELD_OTHER_CATEGORY" },
    });
  });
});

async function serviceCategory() {
  const { deps } = testDeps();
  const admin = await makeUser("ADMIN");
  const asAdmin = await callerFor(deps, admin.id);
  const category = await asAdmin.catalog.createCategory({ nameEs: `Servicio ${Math.random()}`, nameEn: "Service", usesProducts: true });
  const kind = await asAdmin.catalog.createField({
    categoryId: category.id, labelEs: "Tipo de asistencia", labelEn: "Kind of help", type: "SELECT", required: true,
    options: [{ labelEs: "Garantía", labelEn: "Warranty" }, { labelEs: "Compra", labelEn: "Purchase" }],
  });
  const model = await asAdmin.catalog.createField({ categoryId: category.id, labelEs: "Modelo", labelEn: "Model", type: "TEXT", helpTextEs: "Figura en la etiqueta." });
  return { deps, asAdmin, category, kind, model };
}

describe("a new ticket with its category's fields", () => {
  it("stores the values with the ticket; the agent reads and edits them", async () => {
    const { deps, category, kind, model } = await serviceCategory();
    expect(kind.options.map((o) => o.value)).toEqual(["garantia", "compra"]);
    const customer = await makeUser("CUSTOMER");
    const asCustomer = await callerFor(deps, customer.id);
    const offered = await asCustomer.catalog.formFields({ id: category.id });
    expect(offered.map((f) => [f.labelEs, f.required, f.helpTextEs])).toEqual([["Tipo de asistencia", true, null], ["Modelo", false, "Figura en la etiqueta."]]);

    const created = await asCustomer.ticket.create({ subject: "Reparación", description: "No enciende", categoryId: category.id, fields: { [kind.id]: "garantia", [model.id]: " X200 " } });
    const seen = await asCustomer.ticket.get({ number: created.number });
    expect(seen.customFields.map((v) => [v.field.labelEs, v.value])).toEqual([["Tipo de asistencia", "garantia"], ["Modelo", "X200"]]);

    const agent = await makeUser("AGENT");
    const asAgent = await callerFor(deps, agent.id);
    const editable = await asAgent.ticket.customFields({ ticketId: created.id });
    expect(editable.map((f) => f.id)).toEqual(expect.arrayContaining([kind.id, model.id]));
    await asAgent.ticket.setCustomField({ ticketId: created.id, fieldId: kind.id, value: "compra" });
    expect((await asAgent.ticket.get({ number: created.number })).customFields.find((v) => v.field.id === kind.id)?.value).toBe("compra");
    // Another customer cannot list this ticket's fields.
    const other = await callerFor(deps, (await makeUser("CUSTOMER")).id);
    expect((await refusal(other.ticket.customFields({ ticketId: created.id }))).code).toBe("FORBIDDEN");
  });

  it("a required field missing: a localized error on that field, and nothing created", async () => {
    const { deps, category, kind, model } = await serviceCategory();
    const customer = await makeUser("CUSTOMER");
    for (const [locale, message] of [["es", "Complete «Tipo de asistencia»: es obligatorio."], ["en", "Fill in “Kind of help”: it is required."]] as const) {
      await db.user.update({ where: { id: customer.id }, data: { locale } });
      const asCustomer = await callerFor(deps, customer.id, { locale });
      const err = await refusal(asCustomer.ticket.create({ subject: "Sin tipo", description: "x", categoryId: category.id, fields: { [model.id]: "X" } }));
      expect(err.code).toBe("BAD_REQUEST");
      expect(err.message).toBe(message);
      expect(Object.keys(fieldErrors(err))).toEqual([`fields.${kind.id}`]);
    }
    expect(await db.ticket.count({ where: { requesterId: customer.id } })).toBe(0);
    expect(await db.customFieldValue.count({ where: { fieldId: model.id } })).toBe(0);
  });

  it("a field of another category, or a product where the category asks for none, is refused", async () => {
    const a = await serviceCategory();
    const b = await serviceCategory();
    const customer = await makeUser("CUSTOMER");
    const asCustomer = await callerFor(a.deps, customer.id);
    const err = await refusal(asCustomer.ticket.create({ subject: "Mezcla", description: "x", categoryId: a.category.id, fields: { [a.kind.id]: "compra", [b.model.id]: "X" } }));
    expect(err.message).toBe("Ese campo no corresponde a la categoría del ticket.");
    expect(await db.ticket.count({ where: { requesterId: customer.id } })).toBe(0);

    // The agent cannot set it on that ticket either.
    const created = await asCustomer.ticket.create({ subject: "Bien", description: "x", categoryId: a.category.id, fields: { [a.kind.id]: "compra" } });
    const asAgent = await callerFor(a.deps, (await makeUser("AGENT")).id);
    expect((await refusal(asAgent.ticket.setCustomField({ ticketId: created.id, fieldId: b.model.id, value: "X" }))).message).toBe("Ese campo personalizado no existe o ya no se usa.");

    // Products: offered by the lookup, stored when the category asks for them.
    const product = await a.asAdmin.catalog.createProduct({ name: `Impresora LX-${Math.random()}` });
    expect((await asCustomer.catalog.searchProducts({ q: "impresora lx" })).map((p) => p.id)).toContain(product.id);
    const withProduct = await asCustomer.ticket.create({ subject: "Con producto", description: "x", categoryId: a.category.id, productId: product.id, fields: { [a.kind.id]: "compra" } });
    expect((await asCustomer.ticket.get({ number: withProduct.number })).product).toEqual({ id: product.id, name: product.name });
    await a.asAdmin.catalog.updateCategory({ id: a.category.id, usesProducts: false });
    expect((await refusal(asCustomer.ticket.create({ subject: "Sin productos", description: "x", categoryId: a.category.id, productId: product.id, fields: { [a.kind.id]: "compra" } }))).message).toBe(
      "Ese producto no existe o ya no está disponible.",
    );
  });

  it("deactivating a field keeps its values; the form stops asking for it", async () => {
    const { deps, asAdmin, category, kind, model } = await serviceCategory();
    const asCustomer = await callerFor(deps, (await makeUser("CUSTOMER")).id);
    const created = await asCustomer.ticket.create({ subject: "Valores", description: "x", categoryId: category.id, fields: { [kind.id]: "compra", [model.id]: "Z9" } });
    await asAdmin.catalog.updateField({ id: model.id, active: false });
    expect((await asCustomer.catalog.formFields({ id: category.id })).map((f) => f.id)).toEqual([kind.id]);
    expect(await db.customFieldValue.count({ where: { ticketId: created.id, fieldId: model.id } })).toBe(1);
    expect((await asAdmin.catalog.fields({ id: category.id })).map((f) => [f.id, f.active])).toEqual([[kind.id, true], [model.id, false]]);
  });
});

describe("catalog administration", () => {
  it("orders categories and fields, renames, switches off", async () => {
    const { asAdmin, category, kind, model } = await serviceCategory();
    await asAdmin.catalog.moveField({ id: model.id, direction: "up" });
    expect((await asAdmin.catalog.fields({ id: category.id })).map((f) => f.id)).toEqual([model.id, kind.id]);
    await asAdmin.catalog.moveCategory({ id: category.id, direction: "up" });
    const ids = (await asAdmin.catalog.categories()).map((c) => c.id);
    await asAdmin.catalog.updateCategory({ id: category.id, nameEs: "Servicio técnico renombrado", active: false });
    expect((await asAdmin.catalog.category({ id: category.id })).active).toBe(false);
    expect(ids.indexOf(category.id)).toBeGreaterThanOrEqual(0);
    const { deps } = testDeps();
    const asCustomer = await callerFor(deps, (await makeUser("CUSTOMER")).id);
    expect((await asCustomer.ticket.categories()).map((c) => c.id)).not.toContain(category.id);
    expect(await asCustomer.catalog.formFields({ id: category.id })).toEqual([]);
  });

  it("only admins manage the catalog: agents and customers are refused", async () => {
    const { deps, category, kind } = await serviceCategory();
    for (const role of ["AGENT", "CUSTOMER"] as const) {
      const caller = await callerFor(deps, (await makeUser(role)).id);
      const attempts: Array<Promise<unknown>> = [
        caller.catalog.categories(),
        caller.catalog.category({ id: category.id }),
        caller.catalog.createCategory({ nameEs: "X", nameEn: "X" }),
        caller.catalog.updateCategory({ id: category.id, active: false }),
        caller.catalog.moveCategory({ id: category.id, direction: "down" }),
        caller.catalog.fields({ id: category.id }),
        caller.catalog.createField({ categoryId: category.id, labelEs: "X", labelEn: "X", type: "TEXT" }),
        caller.catalog.updateField({ id: kind.id, required: false }),
        caller.catalog.moveField({ id: kind.id, direction: "down" }),
        caller.catalog.products({}),
        caller.catalog.createProduct({ name: "X" }),
        caller.catalog.updateProduct({ id: "x", active: false }),
      ];
      for (const p of attempts) expect((await refusal(p)).code, role).toBe("FORBIDDEN");
    }
    expect((await db.customFieldDefinition.findUniqueOrThrow({ where: { id: kind.id } })).required).toBe(true);
  });
});

describe("demo catalog", () => {
  it("seeds seed 002's Servicio técnico fields and products once, keeping an admin's edits", async () => {
    const { seedCatalog } = await import("~/server/seed/catalog");
    await seedCatalog({ db });
    const category = await db.category.findUniqueOrThrow({ where: { slug: "servicio-tecnico" } });
    await db.customFieldDefinition.update({ where: { key: "modelo" }, data: { labelEs: "Modelo exacto" } });
    await seedCatalog({ db });
    const fields = await db.customFieldDefinition.findMany({ where: { categoryId: category.id }, orderBy: { position: "asc" } });
    expect(fields.map((f) => [f.labelEs, f.type, f.required])).toEqual([
      ["Tipo de asistencia", "SELECT", true],
      ["Marca", "SELECT", true],
      ["Modelo exacto", "TEXT", false],
      ["Número de serie", "TEXT", false],
    ]);
    expect((fields[0]!.options as Array<{ labelEs: string }>).map((o) => o.labelEs)).toEqual(["Asesoramiento / Compra", "Servicio técnico / Garantía", "Administración / Logística"]);
    expect(category.usesProducts).toBe(true);
    expect(await db.product.count({ where: { name: "Epson EcoTank L3250" } })).toBe(1);
  });
});
