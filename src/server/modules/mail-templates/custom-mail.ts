import type { Locale } from "~/i18n";
import type { RenderedEmail } from "../notifications/templates";
import { templateKey, type TemplateOverrides } from "../settings/live-settings";
import type { MailKind } from "./kinds";
import { renderTemplate, type TemplateValues } from "./render";

/** The admin's version of this mail when there is one (null: send the built-in text). */
export function customMail(templates: TemplateOverrides | undefined, kind: MailKind, locale: Locale, values: () => TemplateValues): RenderedEmail | null {
  const tpl = templates?.get(templateKey(kind, locale));
  return tpl ? renderTemplate(tpl, values(), locale) : null;
}
