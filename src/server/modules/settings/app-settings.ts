import { z } from "zod";
import { changedFields, recordAudit } from "../audit/record-audit";
import type { Deps } from "../deps";
import { readLiveSettings } from "./live-settings";
import { SITE_KEYS, siteFields, type SiteSettings } from "./site-schema";

/*
 * Settings an admin changes from /admin/ajustes, one AppSetting row per key holding JSON. Each key
 * has its schema and default here: a row that is missing (a fresh install) or no longer matches its
 * schema reads as the default, so nothing else in the code deals with absent or malformed values.
 * Add a key by adding it to SETTINGS. The team's identity and defaults (site-schema.ts) read as the
 * environment's values until saved, and every process follows them (live-settings.ts).
 */
const SETTINGS = {
  /** Self sign-up at /registro (issue 15). Off: support portals usually invite. */
  signupEnabled: z.boolean().default(false),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type AppSettings = { [K in SettingKey]: z.output<(typeof SETTINGS)[K]> } & SiteSettings;

export const updateSettingsInput = z.strictObject({
  signupEnabled: z.boolean().optional(),
  teamName: siteFields.teamName.optional(),
  senderName: siteFields.senderName.optional(),
  supportAddresses: siteFields.supportAddresses.optional(),
  defaultLocale: siteFields.defaultLocale.optional(),
  defaultTimeZone: siteFields.defaultTimeZone.optional(),
});
export type UpdateSettingsInput = z.input<typeof updateSettingsInput>;

function read<K extends SettingKey>(key: K, value: unknown): { [P in SettingKey]: z.output<(typeof SETTINGS)[P]> }[K] {
  const schema = SETTINGS[key];
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : schema.parse(undefined);
}

export async function getSetting<K extends SettingKey>(deps: Pick<Deps, "db">, key: K) {
  const row = await deps.db.appSetting.findUnique({ where: { key }, select: { value: true } });
  return read(key, row?.value);
}

/** Every setting as it is now (read from the table, not a process's cache: an admin sees their own save). */
export async function getSettings(deps: Pick<Deps, "db" | "settings">): Promise<AppSettings> {
  const keys = Object.keys(SETTINGS) as SettingKey[];
  const [rows, live] = await Promise.all([
    deps.db.appSetting.findMany({ where: { key: { in: keys } }, select: { key: true, value: true } }),
    readLiveSettings(deps.db, deps.settings.defaults),
  ]);
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  const own = Object.fromEntries(keys.map((k) => [k, read(k, byKey.get(k))])) as { [K in SettingKey]: z.output<(typeof SETTINGS)[K]> };
  return { ...own, ...live.site };
}

/** Writes the keys given (an admin's save, recorded in the audit log); the others keep their value. Returns every setting. */
export async function updateSettings(deps: Pick<Deps, "db" | "settings">, raw: UpdateSettingsInput, actorId: string | null = null): Promise<AppSettings> {
  const input = updateSettingsInput.parse(raw);
  const before = await getSettings(deps);
  const diff = changedFields(before, input);
  if (!diff) return before;
  await deps.db.$transaction(async (tx) => {
    for (const [key, value] of Object.entries(diff.after)) {
      await tx.appSetting.upsert({ where: { key }, create: { key, value: value as never }, update: { value: value as never } });
    }
    await recordAudit(tx, { actorId, action: "settings.update", entityType: "setting", ...diff });
  });
  // This process at once; the others when PostgreSQL's notice of the commit reaches them.
  deps.settings.dropCache();
  return getSettings(deps);
}

export { SITE_KEYS };
