import { z } from "zod";
import { changedFields, recordAudit } from "../audit/record-audit";
import type { Deps } from "../deps";

/*
 * Settings an admin changes from /admin/ajustes, one AppSetting row per key holding JSON. Each key
 * has its schema and default here: a row that is missing (a fresh install) or no longer matches its
 * schema reads as the default, so nothing else in the code deals with absent or malformed values.
 * Add a key by adding it to SETTINGS.
 */
const SETTINGS = {
  /** Self sign-up at /registro (issue 15). Off: support portals usually invite. */
  signupEnabled: z.boolean().default(false),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type AppSettings = { [K in SettingKey]: z.output<(typeof SETTINGS)[K]> };

export const updateSettingsInput = z.strictObject({ signupEnabled: z.boolean().optional() });
export type UpdateSettingsInput = z.input<typeof updateSettingsInput>;

function read<K extends SettingKey>(key: K, value: unknown): AppSettings[K] {
  const schema = SETTINGS[key];
  const parsed = schema.safeParse(value);
  return (parsed.success ? parsed.data : schema.parse(undefined)) as AppSettings[K];
}

export async function getSetting<K extends SettingKey>(deps: Pick<Deps, "db">, key: K): Promise<AppSettings[K]> {
  const row = await deps.db.appSetting.findUnique({ where: { key }, select: { value: true } });
  return read(key, row?.value);
}

export async function getSettings(deps: Pick<Deps, "db">): Promise<AppSettings> {
  const rows = await deps.db.appSetting.findMany({ where: { key: { in: Object.keys(SETTINGS) } }, select: { key: true, value: true } });
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  return Object.fromEntries((Object.keys(SETTINGS) as SettingKey[]).map((k) => [k, read(k, byKey.get(k))])) as AppSettings;
}

/** Writes the keys given (an admin's save, recorded in the audit log); the others keep their value. Returns every setting. */
export async function updateSettings(deps: Pick<Deps, "db">, raw: UpdateSettingsInput, actorId: string | null = null): Promise<AppSettings> {
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
  return getSettings(deps);
}
