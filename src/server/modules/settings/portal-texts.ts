import { z } from "zod";
import { LOCALES, type Locale } from "~/i18n";
import { recordAudit } from "../audit/record-audit";
import type { Deps } from "../deps";
import { renderMarkdown } from "../kb/markdown";
import { PORTAL_TEXT_MAX, PORTAL_TEXT_PAGES, PORTAL_TEXTS_KEY, readPortalTexts, type PortalTextPage, type PortalTexts } from "~/shared/portal-texts";

export const portalTextPage = z.enum(PORTAL_TEXT_PAGES);
export const updatePortalTextInput = z.strictObject({
  page: portalTextPage,
  locale: z.enum(LOCALES, { message: "LOCALE_INVALID" }),
  // Markdown, as the knowledge base's articles; empty: the page shows no introduction.
  text: z.string().max(PORTAL_TEXT_MAX, "PORTAL_TEXT_TOO_LONG").transform((t) => t.replace(/\r\n?/g, "\n").trim()),
});

async function read(db: Deps["db"]): Promise<PortalTexts> {
  const row = await db.appSetting.findUnique({ where: { key: PORTAL_TEXTS_KEY }, select: { value: true } });
  return readPortalTexts(row?.value);
}

/** Every page's introduction in every language, as an admin wrote it (Markdown). */
export async function getPortalTexts(deps: Pick<Deps, "db">): Promise<Record<PortalTextPage, Record<Locale, string>>> {
  const texts = await read(deps.db);
  return Object.fromEntries(PORTAL_TEXT_PAGES.map((p) => [p, Object.fromEntries(LOCALES.map((l) => [l, texts[p]?.[l] ?? ""]))])) as Record<PortalTextPage, Record<Locale, string>>;
}

/** Saves one page's introduction in one language (recorded in the audit log). */
export async function updatePortalText(deps: Pick<Deps, "db" | "settings">, raw: z.input<typeof updatePortalTextInput>, actorId: string | null): Promise<void> {
  const input = updatePortalTextInput.parse(raw);
  await deps.db.$transaction(async (tx) => {
    // The row is locked so two admins' saves of different pages do not overwrite each other.
    await tx.$executeRaw`INSERT INTO "AppSetting" (key, value, "updatedAt") VALUES (${PORTAL_TEXTS_KEY}, '{}'::jsonb, now()) ON CONFLICT (key) DO NOTHING`;
    await tx.$queryRaw`SELECT key FROM "AppSetting" WHERE key = ${PORTAL_TEXTS_KEY} FOR UPDATE`;
    const row = await tx.appSetting.findUnique({ where: { key: PORTAL_TEXTS_KEY }, select: { value: true } });
    const texts = readPortalTexts(row?.value);
    const before = texts[input.page]?.[input.locale] ?? "";
    if (before === input.text) return;
    const next: PortalTexts = { ...texts, [input.page]: { ...texts[input.page], [input.locale]: input.text } };
    await tx.appSetting.update({ where: { key: PORTAL_TEXTS_KEY }, data: { value: next as never } });
    await recordAudit(tx, { actorId, action: "portalText.update", entityType: "portalText", entityId: `${input.page}:${input.locale}`, before: { text: before }, after: { text: input.text } });
  });
  deps.settings.dropCache();
}

/** The introduction a page shows in this language, as safe HTML; null when none was written. */
export async function portalIntro(deps: Pick<Deps, "settings">, page: PortalTextPage, locale: Locale): Promise<string | null> {
  const text = (await deps.settings.current()).portalTexts[page]?.[locale];
  return text ? renderMarkdown(text) : null;
}
