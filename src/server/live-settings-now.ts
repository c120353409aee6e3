import type { LiveSettings } from "./modules/settings/live-settings";
import { serverApp } from "./http/server-app";

/**
 * The admins' settings for a page rendering in the web process; null where no web server runs
 * (`next build` collecting pages), where pages fall back to the built-in defaults.
 */
export async function liveSettingsNow(): Promise<LiveSettings | null> {
  let app;
  try {
    app = serverApp();
  } catch {
    return null;
  }
  return app.deps.settings.current();
}
