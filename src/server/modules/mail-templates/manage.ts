import { z } from "zod";
import { LOCALES, type Locale } from "~/i18n";
import { recordAudit } from "../audit/record-audit";
import type { Deps } from "../deps";
import type { RenderedEmail } from "../notifications/templates";
import type { TemplateText } from "../settings/live-settings";
import { HEADER_BREAK } from "../settings/site-schema";
import { defaultTemplate, MAIL_KINDS, PLACEHOLDERS, type MailKind } from "./kinds";
import { renderTemplate, unknownPlaceholders } from "./render";
import { sampleValues } from "./sample";

export const TEMPLATE_SUBJECT_MAX = 200;
export const TEMPLATE_BODY_MAX = 20_000;

const kind = z.enum(MAIL_KINDS, { message: "TEMPLATE_KIND_UNKNOWN" });
const locale = z.enum(LOCALES, { message: "LOCALE_INVALID" });

/** A template as an admin writes it: a one-line subject, a body, only the kind's own placeholders. */
const templateText = z
  .strictObject({
    kind,
    locale,
    subject: z
      .string()
      .trim()
      .min(1, "TEMPLATE_SUBJECT_REQUIRED")
      .max(TEMPLATE_SUBJECT_MAX, "TEMPLATE_SUBJECT_TOO_LONG")
      .refine((s) => !HEADER_BREAK.test(s), { message: "TEMPLATE_SUBJECT_LINE_BREAK" }),
    body: z
      .string()
      .max(TEMPLATE_BODY_MAX, "TEMPLATE_BODY_TOO_LONG")
      .transform((b) => b.replace(/\r\n?/g, "\n").trim())
      .refine((b) => b.length > 0, { message: "TEMPLATE_BODY_REQUIRED" }),
  })
  .superRefine((v, ctx) => {
    for (const field of ["subject", "body"] as const) {
      for (const placeholder of unknownPlaceholders(v.kind, v[field])) {
        ctx.addIssue({ code: "custom", path: [field], message: "TEMPLATE_PLACEHOLDER_UNKNOWN", params: { placeholder } });
      }
    }
  });

export const saveTemplateInput = templateText;
export const templateRef = z.strictObject({ kind, locale });
export const previewTemplateInput = templateText;

export interface TemplateView {
  kind: MailKind;
  placeholders: readonly string[];
  templates: Array<{ locale: Locale; custom: boolean; subject: string; body: string; defaultSubject: string; defaultBody: string; updatedAt: Date | null }>;
}

/** Every kind of mail with its placeholders, and per language the text sent now (the admin's or the built-in one). */
export async function listTemplates(deps: Pick<Deps, "db">): Promise<TemplateView[]> {
  const rows = await deps.db.mailTemplate.findMany();
  const byKey = new Map(rows.map((r) => [`${r.kind}:${r.locale}`, r]));
  return MAIL_KINDS.map((k) => ({
    kind: k,
    // A copy each: a response must not share an array between two places (src/shared/transformer.ts refuses it).
    placeholders: [...PLACEHOLDERS[k]],
    templates: LOCALES.map((l) => {
      const d = defaultTemplate(k, l);
      const row = byKey.get(`${k}:${l}`);
      return { locale: l, custom: !!row, subject: row?.subject ?? d.subject, body: row?.body ?? d.body, defaultSubject: d.subject, defaultBody: d.body, updatedAt: row?.updatedAt ?? null };
    }),
  }));
}

async function currentText(tx: Pick<Deps["db"], "mailTemplate">, k: MailKind, l: Locale): Promise<TemplateText & { custom: boolean }> {
  const row = await tx.mailTemplate.findUnique({ where: { kind_locale: { kind: k, locale: l } }, select: { subject: true, body: true } });
  return row ? { ...row, custom: true } : { ...defaultTemplate(k, l), custom: false };
}

/** Stores the admin's version of one mail in one language (recorded in the audit log with what it replaced). */
export async function saveTemplate(deps: Pick<Deps, "db" | "settings">, raw: z.input<typeof saveTemplateInput>, actorId: string | null): Promise<void> {
  const input = saveTemplateInput.parse(raw);
  await deps.db.$transaction(async (tx) => {
    const before = await currentText(tx, input.kind, input.locale);
    if (before.custom && before.subject === input.subject && before.body === input.body) return;
    await tx.mailTemplate.upsert({
      where: { kind_locale: { kind: input.kind, locale: input.locale } },
      create: { kind: input.kind, locale: input.locale, subject: input.subject, body: input.body },
      update: { subject: input.subject, body: input.body },
    });
    await recordAudit(tx, {
      actorId,
      action: "template.update",
      entityType: "mailTemplate",
      entityId: `${input.kind}:${input.locale}`,
      before: { subject: before.subject, body: before.body, custom: before.custom },
      after: { subject: input.subject, body: input.body, custom: true },
    });
  });
  deps.settings.dropCache();
}

/** Back to the built-in text: the admin's version is removed (and the removal recorded). */
export async function restoreTemplate(deps: Pick<Deps, "db" | "settings">, raw: z.input<typeof templateRef>, actorId: string | null): Promise<void> {
  const input = templateRef.parse(raw);
  await deps.db.$transaction(async (tx) => {
    const where = { kind_locale: { kind: input.kind, locale: input.locale } };
    const row = await tx.mailTemplate.findUnique({ where, select: { subject: true, body: true } });
    if (!row) return;
    await tx.mailTemplate.delete({ where });

    const d = defaultTemplate(input.kind, input.locale);
    await recordAudit(tx, {
      actorId,
      action: "template.restore",
      entityType: "mailTemplate",
      entityId: `${input.kind}:${input.locale}`,
      before: { subject: row.subject, body: row.body, custom: true },
      after: { subject: d.subject, body: d.body, custom: false },
    });
  });
  deps.settings.dropCache();
}

/** The mail a draft would send, rendered here with made-up values (validated as a save is, so the preview shows what saving would). */
export function previewTemplate(deps: Pick<Deps, "mail">, raw: z.input<typeof previewTemplateInput>): RenderedEmail {
  const input = previewTemplateInput.parse(raw);
  return renderTemplate({ subject: input.subject, body: input.body }, sampleValues(input.kind, input.locale, deps.mail), input.locale);
}
