// Issue 16 item 3: the team's settings, the mail templates, the portal texts and the audit log.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import type { Locale } from "~/i18n";
import { createMailTransport } from "~/server/adapters/nodemailer/mail-transport";
import { pgChangeFeed } from "~/server/adapters/postgres/change-feed";
import type { Deps } from "~/server/modules/deps";
import { defaultTemplate, MAIL_KINDS, PLACEHOLDERS, type MailKind } from "~/server/modules/mail-templates/kinds";
import { renderTemplate } from "~/server/modules/mail-templates/render";
import { agentReplyEmail, attachmentsTooLargeEmail, invitationEmail, statusChangedEmail, ticketCreatedEmail, type RenderedEmail, type TicketMailContext } from "~/server/modules/notifications/templates";
import { infoRequestedEmail, mergedEmail, resolvedEmail } from "~/server/modules/notifications/action-templates";
import { passwordResetEmail, signupExistingEmail, signupVerificationEmail } from "~/server/modules/accounts/mail-templates";
import { escalatedEmail, slaBreachedEmail } from "~/server/modules/sla/alerts";
import { stageEmail } from "~/server/modules/notifications/outbox";
import { sendOutboundEmail } from "~/server/modules/notifications/send-email";
import { applyLive, dbSettingsSource, siteDefaults, templateKey, type TemplateOverrides } from "~/server/modules/settings/live-settings";
import { startCaptureSmtp } from "./support/capture-smtp";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { waitUntil } from "./support/wait";

const HOSTILE = "\r\nBcc: x@evil.example<script>alert(1)</script>{{constructor}}";

/** Deps whose settings come from the database and follow its changes, as a real process's do. */
function liveDeps(): { deps: Deps; close(): Promise<void> } {
  const { deps } = testDeps();
  const mail = { ...deps.mail };
  const feed = pgChangeFeed(env.DATABASE_URL, "app_settings_changed");
  const settings = dbSettingsSource(db, feed, siteDefaults(mail, "Europe/Madrid"), (live) => applyLive(mail, live));
  return { deps: { ...deps, mail, settings }, close: () => feed.close() };
}

/** Every kind of mail rendered by the code that sends it, with every value hostile, for one set of templates. */
function renderAll(templates: TemplateOverrides | undefined, locale: Locale): Record<MailKind, RenderedEmail> {
  const { deps } = testDeps();
  const c: TicketMailContext = {
    locale,
    number: 7,
    subject: HOSTILE,
    trackingId: HOSTILE,
    requesterName: HOSTILE,
    ticketUrl: "http://localhost:3000/portal/tickets/7",
    team: HOSTILE,
    templates,
  };
  const words = { ...c, agentName: HOSTILE, bodyText: HOSTILE, bodyHtml: "<p>Hola &lt;script&gt;</p>" };
  const staffDeps = { ...deps, mail: { ...deps.mail, team: HOSTILE, templates } };
  const staff = { id: "s1", email: "a@example.test", name: HOSTILE, locale };
  const ticket = { id: "t1", number: 7, subject: HOSTILE };
  return {
    ticket_created: ticketCreatedEmail(c),
    agent_reply: agentReplyEmail(words),
    status_changed: statusChangedEmail({ ...c, from: "OPEN", to: "RESOLVED", reason: HOSTILE, reopenHours: 72 }),
    info_requested: infoRequestedEmail(words),
    ticket_resolved: resolvedEmail({ ...words, evaluateUrl: "http://localhost:3000/evaluar/x", reopenHours: 72 }),
    ticket_merged: mergedEmail({ ...c, survivor: 3, survivorUrl: "http://localhost:3000/portal/tickets/3" }),
    attachments_too_large: attachmentsTooLargeEmail({ ...c, sizeBytes: 30 * 1024 * 1024, maxBytes: 20 * 1024 * 1024 }),
    invitation: invitationEmail({ locale, name: HOSTILE, url: "http://localhost:3000/invitacion/x", days: 7, team: HOSTILE, templates }),
    "password-reset": passwordResetEmail({ locale, name: HOSTILE, url: "http://localhost:3000/restablecer/x", minutes: 60, team: HOSTILE, templates }),
    signup: signupVerificationEmail({ locale, name: HOSTILE, url: "http://localhost:3000/registro/activar/x", hours: 24, team: HOSTILE, templates }),
    "signup-existing": signupExistingEmail({ locale, url: "http://localhost:3000/recuperar", team: HOSTILE, templates }),
    sla_breached: slaBreachedEmail(staffDeps, staff, ticket, { target: "FIRST_RESPONSE", due: new Date("2026-03-02T10:00:00Z"), timeZone: "Europe/Madrid", assignee: staff }),
    escalated: escalatedEmail(staffDeps, staff, ticket),
  };
}

/** Every template, in every language, with every placeholder of its kind in the subject and the body. */
function everyPlaceholderTemplates(): TemplateOverrides {
  const map = new Map<string, { subject: string; body: string }>();
  for (const kind of MAIL_KINDS) {
    const all = PLACEHOLDERS[kind].map((p) => `{{${p}}}`).join(" ");
    for (const locale of ["es", "en"] as const) {
      map.set(templateKey(kind, locale), { subject: `Asunto ${all}`, body: `# Hola\n\n${PLACEHOLDERS[kind].map((p) => `- ${p}: {{${p}}}`).join("\n")}\n\n[enlace]({{${PLACEHOLDERS[kind].find((p) => p.endsWith(".url")) ?? "team"}}})` });
    }
  }
  return map;
}

function expectSafe(mail: RenderedEmail, kind: string) {
  expect(mail.subject, kind).not.toMatch(/[\r\n]/);
  expect(mail.html, kind).not.toMatch(/<script/i);
  expect(mail.html, kind).not.toMatch(/href="javascript:/i);
  // A value is never read as a placeholder, nor as a property of an object's prototype.
  expect(mail.subject + mail.text + mail.html, kind).not.toContain("function Object");
}

describe("mail templates are safe with hostile values", () => {
  for (const locale of ["es", "en"] as const) {
    it(`renders every kind, built in and customized (${locale})`, () => {
      const builtIn = renderAll(undefined, locale);
      const custom = renderAll(everyPlaceholderTemplates(), locale);
      expect(Object.keys(custom).sort()).toEqual([...MAIL_KINDS].sort());
      for (const kind of MAIL_KINDS) {
        expectSafe(builtIn[kind], `${kind} built in`);
        expectSafe(custom[kind], `${kind} custom`);
        // The customized mail is the admin's: their subject, their heading, the values escaped in the HTML.
        expect(custom[kind].subject).toMatch(/^Asunto /);
        expect(custom[kind].html).toContain("<h1>Hola</h1>");
        if (PLACEHOLDERS[kind].includes("team")) {
          expect(custom[kind].html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;{{constructor}}");
          expect(custom[kind].subject).toContain("Bcc: x@evil.example<script>alert(1)</script>{{constructor}}");
          expect(custom[kind].text).toContain(HOSTILE);
        }
      }
    });
  }

  it("a template cannot inject script or links of other schemes, and {{message}} keeps the message's own HTML", () => {
    const mail = renderTemplate(
      { subject: "Hola {{requester.name}}", body: "<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n[clic](javascript:alert(1))\n\n{{message}}\n\n[ver]({{ticket.url}})" },
      { text: { "requester.name": "Ana\r\nBcc: x@evil", message: "texto", "ticket.url": "http://localhost:3000/portal/tickets/1" }, messageHtml: "<p><strong>Hecho</strong></p>" },
      "es",
    );
    expect(mail.subject).toBe("Hola Ana Bcc: x@evil");
    expect(mail.html).not.toMatch(/<script|onerror|href="javascript:/i);
    expect(mail.html).toContain("<blockquote><p><strong>Hecho</strong></p></blockquote>");
    expect(mail.html).toContain('href="http://localhost:3000/portal/tickets/1"');
    expect(mail.text).toContain("texto");
  });

  it("the default template of every kind names only its own placeholders", () => {
    for (const kind of MAIL_KINDS) {
      for (const locale of ["es", "en"] as const) {
        const d = defaultTemplate(kind, locale);
        const used = [...`${d.subject}\n${d.body}`.matchAll(/\{\{([^{}]+)\}\}/g)].map((m) => m[1]);
        for (const p of used) expect(PLACEHOLDERS[kind], `${kind} ${locale}`).toContain(p);
      }
    }
  });

  it("a subject with a line break never reaches SMTP as two headers (real SMTP)", async () => {
    const got = new EventEmitter();
    const mails: ParsedMail[] = [];
    const smtp = await startCaptureSmtp((m) => void mails.push(m), () => got.emit("mail"));
    const transport = createMailTransport(`smtp://127.0.0.1:${smtp.port}`);
    try {
      const to = `hostile-${randomUUID().slice(0, 8)}@example.test`;
      const id = await db.$transaction((tx) =>
        stageEmail(tx, { subject: `Hola${HOSTILE}`, text: "x", html: "<p>x</p>", dedupeKey: `hostile:${to}`, kind: "agent_reply", to, ticketId: null, messageId: `<hostile-${to}>`, fromName: `Luis\r\nBcc: y@evil.example` }),
      );
      const { deps } = testDeps();
      await sendOutboundEmail({ db, clock: deps.clock, transport, mail: deps.mail }, id, { finalAttempt: true });
      const mail = await waitUntil(got, "mail", () => mails.find((m) => m.to && JSON.stringify(m.to).includes(to)), "the hostile mail");
      expect(mail.bcc).toBeUndefined();
      expect(mail.headers.has("bcc")).toBe(false);
      expect(mail.subject).toBe("Hola Bcc: x@evil.example<script>alert(1)</script>{{constructor}}");
      expect(mail.from?.value[0]?.name).toBe("Luis Bcc: y@evil.example");
    } finally {
      transport.close();
      await smtp.close();
    }
  });
});

describe("who may change settings, templates and portal texts, and read the audit log", () => {
  it("customers and agents are refused every procedure; an admin is allowed", async () => {
    const { deps } = testDeps();
    const calls = (api: Awaited<ReturnType<typeof callerFor>>) => [
      () => api.settings.get(),
      () => api.settings.update({ signupEnabled: false }),
      () => api.settings.templates(),
      () => api.settings.saveTemplate({ kind: "escalated", locale: "en", subject: "x", body: "y" }),
      () => api.settings.restoreTemplate({ kind: "escalated", locale: "en" }),
      () => api.settings.previewTemplate({ kind: "escalated", locale: "en", subject: "x", body: "y" }),
      () => api.settings.portalTexts(),
      () => api.settings.updatePortalText({ page: "home", locale: "en", text: "" }),
      () => api.audit.list({}),
      () => api.audit.filters(),
    ];
    for (const role of ["CUSTOMER", "AGENT"] as const) {
      const api = await callerFor(deps, (await makeUser(role)).id);
      for (const call of calls(api)) await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    const anonymous = await callerFor(deps, null);
    for (const call of calls(anonymous)) await expect(call()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const admin = await callerFor(deps, (await makeUser("ADMIN")).id);
    // Each answers (a save answers nothing): none is refused.
    for (const call of calls(admin)) await call();
    // The portal's introductions are public: the pages showing them are.
    expect(await anonymous.settings.portalIntro({ page: "home" })).toHaveProperty("html");
  });
});

describe("settings", () => {
  const originals: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const restore of originals) await restore();
  });

  it("validates addresses, keeps at least one, refuses line breaks and unknown zones, with localized errors", async () => {
    const { deps } = testDeps();
    const es = await callerFor(deps, (await makeUser("ADMIN")).id);
    const en = await callerFor(deps, (await makeUser("ADMIN", { locale: "en" })).id);
    await expect(es.settings.update({ supportAddresses: [] })).rejects.toMatchObject({ message: "Indique al menos una dirección de soporte." });
    await expect(en.settings.update({ supportAddresses: ["soporte@x.test", "no es correo"] })).rejects.toMatchObject({ message: expect.stringContaining("“no es correo” is not a valid mail address") });
    await expect(es.settings.update({ supportAddresses: ["soporte+abc@x.test"] })).rejects.toMatchObject({ message: expect.stringContaining("«soporte+abc@x.test»") });
    await expect(es.settings.update({ teamName: "Equipo\r\nBcc: x@evil" })).rejects.toMatchObject({ message: "Escríbalo en una sola línea." });
    await expect(es.settings.update({ senderName: "A\nB" })).rejects.toMatchObject({ message: "Escríbalo en una sola línea." });
    await expect(es.settings.update({ defaultTimeZone: "Madrid" })).rejects.toMatchObject({ message: "Elija una zona horaria de la lista." });
    await expect(es.settings.update({ teamName: "  " })).rejects.toMatchObject({ message: "Escriba el nombre del equipo." });
    // Nothing was written by any of them.
    expect(await db.appSetting.count({ where: { key: { in: ["supportAddresses", "teamName", "senderName", "defaultTimeZone"] } } })).toBe(0);
    expect(await es.settings.get()).toMatchObject({ teamName: "Ventanilla Soporte", senderName: "", supportAddresses: ["soporte@ventanilla.test"], defaultLocale: "es", defaultTimeZone: "Europe/Madrid" });
  });

  it("a save is recorded in the audit log and seen by another process within a second, mails included", async () => {
    const web = liveDeps();
    const worker = liveDeps();
    try {
      await worker.deps.settings.current();
      expect(worker.deps.mail.team).toBe("Ventanilla Soporte");
      const adminUser = await makeUser("ADMIN");
      const admin = await callerFor(web.deps, adminUser.id);
      originals.push(() => db.appSetting.deleteMany({ where: { key: { in: ["teamName", "senderName", "supportAddresses", "defaultLocale", "defaultTimeZone"] } } }));
      const saved = await admin.settings.update({
        teamName: "Mesa Central",
        senderName: "Soporte Mesa Central",
        supportAddresses: ["Ayuda@Mesa.test", "otra@mesa.test", "ayuda@mesa.test"],
        defaultLocale: "en",
        defaultTimeZone: "America/Mexico_City",
      });
      expect(saved).toMatchObject({ teamName: "Mesa Central", supportAddresses: ["ayuda@mesa.test", "otra@mesa.test"], defaultLocale: "en" });
      const started = Date.now();
      const changed = new EventEmitter();
      const tick = setInterval(() => changed.emit("tick"), 20);
      try {
        await waitUntil(changed, "tick", () => (worker.deps.mail.team === "Mesa Central" ? true : undefined), "the other process to hear the change", 2000);
      } finally {
        clearInterval(tick);
      }
      expect(Date.now() - started).toBeLessThan(2000);
      expect(worker.deps.mail).toMatchObject({ senderName: "Soporte Mesa Central", supportAddresses: ["ayuda@mesa.test", "otra@mesa.test"], defaultLocale: "en", timeZone: "America/Mexico_City" });

      const audit = await db.auditLog.findFirstOrThrow({ where: { actorId: adminUser.id, action: "settings.update" } });
      expect(audit.before).toMatchObject({ teamName: "Ventanilla Soporte", defaultLocale: "es" });
      expect(audit.after).toMatchObject({ teamName: "Mesa Central", defaultLocale: "en", supportAddresses: ["ayuda@mesa.test", "otra@mesa.test"] });

      // A ticket opened now by a new requester: a new user in the default language, the mail signed by the new team.
      const customer = await makeUser("CUSTOMER", { locale: "xx" });
      const t = await (await callerFor(worker.deps, customer.id)).ticket.create({ subject: "Ajustes vivos", description: "Hola" });
      const mail = await db.outboundEmail.findFirstOrThrow({ where: { ticketId: t.id, kind: "ticket_created" } });
      expect(mail.text).toContain("— Mesa Central");
      expect(mail.subject).toMatch(/Ticket received/);
      expect(mail.replyTo).toMatch(/^ayuda\+.+@mesa\.test$/);
    } finally {
      await db.appSetting.deleteMany({ where: { key: { in: ["teamName", "senderName", "supportAddresses", "defaultLocale", "defaultTimeZone"] } } });
      await web.close();
      await worker.close();
    }
  });
});

describe("mail templates", () => {
  let live: ReturnType<typeof liveDeps>;
  beforeAll(() => {
    live = liveDeps();
  });
  afterAll(async () => {
    await db.mailTemplate.deleteMany({ where: { kind: "agent_reply" } });
    await live.close();
  });

  it("refuses unknown placeholders and line breaks in the subject, with a clear localized error, and saves nothing", async () => {
    const es = await callerFor(live.deps, (await makeUser("ADMIN")).id);
    const en = await callerFor(live.deps, (await makeUser("ADMIN", { locale: "en" })).id);
    await expect(es.settings.saveTemplate({ kind: "agent_reply", locale: "es", subject: "Hola", body: "{{constructor}}" })).rejects.toMatchObject({
      message: "El marcador {{constructor}} no existe en este correo. Use uno de la lista de marcadores.",
    });
    await expect(en.settings.saveTemplate({ kind: "invitation", locale: "en", subject: "{{ticket.number}}", body: "x" })).rejects.toMatchObject({
      message: "The placeholder {{ticket.number}} does not exist in this mail. Use one from the list of placeholders.",
    });
    await expect(es.settings.saveTemplate({ kind: "agent_reply", locale: "es", subject: "Hola\r\nBcc: x@evil.example", body: "x" })).rejects.toMatchObject({ message: "El asunto debe ocupar una sola línea." });
    await expect(es.settings.previewTemplate({ kind: "agent_reply", locale: "es", subject: "x", body: "{{__proto__}}" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.mailTemplate.count({ where: { kind: { in: ["agent_reply", "invitation"] } } })).toBe(0);
  });

  it("lists every kind with its placeholders; previews with sample data; a save is used by the next reply and audited; restore brings back the built-in text", async () => {
    const adminUser = await makeUser("ADMIN");
    const admin = await callerFor(live.deps, adminUser.id);
    const list = await admin.settings.templates();
    expect(list.map((k) => k.kind)).toEqual([...MAIL_KINDS]);
    const reply = list.find((k) => k.kind === "agent_reply")!;
    expect(reply.placeholders).toEqual(expect.arrayContaining(["ticket.number", "requester.name", "ticket.url", "message"]));
    expect(reply.templates.find((x) => x.locale === "es")).toMatchObject({ custom: false, subject: "[#{{ticket.number}}] Nueva respuesta: {{ticket.subject}}" });

    const draft = { kind: "agent_reply" as const, locale: "es" as const, subject: "Respuesta a #{{ticket.number}} para {{requester.name}}", body: "**Hola {{requester.name}}**\n\n{{message}}\n\nSiga aquí: {{ticket.url}}" };
    const preview = await admin.settings.previewTemplate(draft);
    expect(preview.subject).toBe("Respuesta a #1042 para Carla Gómez");
    expect(preview.html).toContain("<strong>Hola Carla Gómez</strong>");
    expect(preview.html).toContain("<blockquote><p>Hemos reiniciado su acceso a la VPN.");

    await admin.settings.saveTemplate(draft);
    await live.deps.settings.current();
    expect(live.deps.mail.templates?.get("agent_reply:es")).toMatchObject({ subject: draft.subject });

    const customer = await makeUser("CUSTOMER", { name: "Ana <b>Pérez</b>" });
    const agent = await makeUser("AGENT");
    const t = await (await callerFor(live.deps, customer.id)).ticket.create({ subject: "Plantillas", description: "Hola" });
    await (await callerFor(live.deps, agent.id)).ticket.reply({ ticketId: t.id, body: "Ya está <script>x</script>" });
    const mail = await db.outboundEmail.findFirstOrThrow({ where: { ticketId: t.id, kind: "agent_reply" } });
    expect(mail.subject).toBe(`Respuesta a #${t.number} para Ana <b>Pérez</b>`);
    expect(mail.html).toContain("<strong>Hola Ana &lt;b&gt;Pérez&lt;/b&gt;</strong>");
    expect(mail.html).not.toContain("<script");
    expect(mail.text).toContain("Ya está <script>x</script>");
    // An English requester still gets the built-in English text.
    const english = await makeUser("CUSTOMER", { locale: "en" });
    const t2 = await (await callerFor(live.deps, english.id)).ticket.create({ subject: "Templates", description: "Hi" });
    await (await callerFor(live.deps, agent.id)).ticket.reply({ ticketId: t2.id, body: "Done" });
    expect((await db.outboundEmail.findFirstOrThrow({ where: { ticketId: t2.id, kind: "agent_reply" } })).subject).toMatch(/New reply/);

    const audit = await db.auditLog.findFirstOrThrow({ where: { actorId: adminUser.id, action: "template.update" } });
    expect(audit).toMatchObject({ entityType: "mailTemplate", entityId: "agent_reply:es", before: { custom: false }, after: { subject: draft.subject, custom: true } });

    await admin.settings.restoreTemplate({ kind: "agent_reply", locale: "es" });
    expect((await admin.settings.templates()).find((k) => k.kind === "agent_reply")!.templates.find((x) => x.locale === "es")).toMatchObject({ custom: false });
    expect(await db.auditLog.findFirst({ where: { actorId: adminUser.id, action: "template.restore" } })).toMatchObject({ before: { subject: draft.subject } });
    await live.deps.settings.current();
    expect(live.deps.mail.templates?.has("agent_reply:es")).toBe(false);
  });
});

describe("portal texts", () => {
  afterAll(async () => {
    await db.appSetting.deleteMany({ where: { key: "portalTexts" } });
  });

  it("an admin writes each page's introduction per language; the page shows it as safe HTML; the change is audited", async () => {
    const live = liveDeps();
    try {
      const adminUser = await makeUser("ADMIN");
      const admin = await callerFor(live.deps, adminUser.id);
      await admin.settings.updatePortalText({ page: "home", locale: "es", text: "**Bienvenido** al soporte.\n\n<script>alert(1)</script>[x](javascript:alert(1))" });
      await admin.settings.updatePortalText({ page: "newTicket", locale: "en", text: "Tell us *everything*." });
      expect(await admin.settings.portalTexts()).toMatchObject({ home: { es: expect.stringContaining("Bienvenido"), en: "" }, newTicket: { en: "Tell us *everything*.", es: "" } });
      const visitor = await callerFor(live.deps, null);
      const home = await visitor.settings.portalIntro({ page: "home" });
      expect(home.html).toContain("<strong>Bienvenido</strong>");
      expect(home.html).not.toMatch(/<script|href="javascript:/);
      expect(await visitor.settings.portalIntro({ page: "newTicket" })).toEqual({ html: null });
      const english = await callerFor(live.deps, (await makeUser("CUSTOMER", { locale: "en" })).id);
      expect((await english.settings.portalIntro({ page: "newTicket" })).html).toContain("<em>everything</em>");
      await expect(admin.settings.updatePortalText({ page: "home", locale: "es", text: "x".repeat(4001) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      const audit = await db.auditLog.findMany({ where: { actorId: adminUser.id, action: "portalText.update" }, orderBy: { createdAt: "asc" } });
      expect(audit.map((a) => a.entityId)).toEqual(["home:es", "newTicket:en"]);
      expect(audit[1]).toMatchObject({ before: { text: "" }, after: { text: "Tell us *everything*." } });
    } finally {
      await live.close();
    }
  });
});

describe("audit log", () => {
  it("lists newest first a page at a time, filtered by person, action, entity and dates", async () => {
    const { deps } = testDeps();
    const adminUser = await makeUser("ADMIN");
    const other = await makeUser("ADMIN");
    const base = new Date("2030-01-10T12:00:00Z");
    const action = `test.${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 5; i++) {
      await db.auditLog.create({ data: { actorId: i % 2 ? other.id : adminUser.id, action, entityType: "thing", entityId: `n${i}`, before: { v: i }, after: { v: i + 1 }, createdAt: new Date(base.getTime() + i * 86_400_000) } });
    }
    const admin = await callerFor(deps, adminUser.id);
    const first = await admin.audit.list({ action, limit: 2 });
    // useInfiniteQuery sends the direction with every page: accepted, same page.
    expect((await admin.audit.list({ action, limit: 2, direction: "forward" })).items).toEqual(first.items);
    expect(first.items.map((e) => e.entityId)).toEqual(["n4", "n3"]);
    const second = await admin.audit.list({ action, limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.entityId)).toEqual(["n2", "n1"]);
    const third = await admin.audit.list({ action, limit: 2, cursor: second.nextCursor! });
    expect(third).toMatchObject({ items: [{ entityId: "n0", before: { v: 0 }, after: { v: 1 }, actor: { id: adminUser.id } }], nextCursor: null });
    expect((await admin.audit.list({ action, actorId: other.id })).items.map((e) => e.entityId)).toEqual(["n3", "n1"]);
    expect((await admin.audit.list({ action, from: new Date("2030-01-11T00:00:00Z"), to: new Date("2030-01-12T23:59:59Z") })).items.map((e) => e.entityId)).toEqual(["n2", "n1"]);
    expect((await admin.audit.list({ action, entityType: "other" })).items).toEqual([]);
    const filters = await admin.audit.filters();
    expect(filters.actions).toContain(action);
    expect(filters.entityTypes).toContain("thing");
    expect(filters.actors.map((a) => a.id)).toEqual(expect.arrayContaining([adminUser.id, other.id]));
  });
});
