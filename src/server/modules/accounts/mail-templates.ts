import { translator, type Locale } from "~/i18n";
import { oneLine } from "../mail-templates/render";
import { escapeHtml } from "../tickets/message-body";
import type { RenderedEmail } from "../notifications/templates";
import { customMail } from "../mail-templates/custom-mail";
import type { TemplateOverrides } from "../settings/live-settings";

/** A mail with one button (and the bare link, for text-only clients), as the invitation's. */
function withButton(locale: Locale, c: { subject: string; before: string[]; button: string; fallback: string; url: string; after: string[]; team: string }): RenderedEmail {
  const t = translator(locale);
  const signature = t("email.signature", { team: c.team });
  const text = [...c.before.flatMap((l) => [l, ""]), `${c.button}: ${c.url}`, "", ...c.after, "", signature].join("\n");
  const href = escapeHtml(c.url);
  const html =
    `<!doctype html><html lang="${locale}"><body>` +
    c.before.map((l) => `<p>${escapeHtml(l)}</p>`).join("") +
    `<p><a href="${href}" style="display:inline-block;padding:10px 18px;border-radius:6px;background:#1f5fbf;color:#ffffff;text-decoration:none;font-weight:600">${escapeHtml(c.button)}</a></p>` +
    `<p>${escapeHtml(c.fallback)}<br><a href="${href}">${href}</a></p>` +
    `<p>${c.after.map(escapeHtml).join(" ")}</p><p>${escapeHtml(signature)}</p></body></html>`;
  return { subject: oneLine(c.subject), text, html };
}

type Templates = { templates?: TemplateOverrides };

export function passwordResetEmail(c: { locale: Locale; name: string; url: string; minutes: number; team: string } & Templates): RenderedEmail {
  const custom = customMail(c.templates, "password-reset", c.locale, () => ({ text: { "user.name": c.name, "reset.url": c.url, "reset.minutes": String(c.minutes), team: c.team } }));
  if (custom) return custom;
  const t = translator(c.locale);
  return withButton(c.locale, {
    subject: oneLine(t("accounts.mail.reset.subject", { team: c.team })),
    before: [t("accounts.mail.reset.greeting", { name: c.name }), t("accounts.mail.reset.body"), t("accounts.mail.reset.noPassword")],
    button: t("accounts.mail.reset.button"),
    fallback: t("accounts.mail.reset.fallback"),
    url: c.url,
    after: [t("accounts.mail.reset.expiry", { minutes: c.minutes }), t("accounts.mail.reset.ignore")],
    team: c.team,
  });
}

export function signupVerificationEmail(c: { locale: Locale; name: string; url: string; hours: number; team: string } & Templates): RenderedEmail {
  const custom = customMail(c.templates, "signup", c.locale, () => ({ text: { "user.name": c.name, "signup.url": c.url, "signup.hours": String(c.hours), team: c.team } }));
  if (custom) return custom;
  const t = translator(c.locale);
  return withButton(c.locale, {
    subject: oneLine(t("accounts.mail.signup.subject", { team: c.team })),
    before: [t("accounts.mail.signup.greeting", { name: c.name }), t("accounts.mail.signup.body")],
    button: t("accounts.mail.signup.button"),
    fallback: t("accounts.mail.signup.fallback"),
    url: c.url,
    after: [t("accounts.mail.signup.expiry", { hours: c.hours }), t("accounts.mail.signup.ignore")],
    team: c.team,
  });
}

/** Sign-up with an address that has an account: no second account, a way to its password instead. */
export function signupExistingEmail(c: { locale: Locale; url: string; team: string } & Templates): RenderedEmail {
  const custom = customMail(c.templates, "signup-existing", c.locale, () => ({ text: { "recover.url": c.url, team: c.team } }));
  if (custom) return custom;
  const t = translator(c.locale);
  return withButton(c.locale, {
    subject: oneLine(t("accounts.mail.existing.subject", { team: c.team })),
    before: [t("accounts.mail.existing.greeting"), t("accounts.mail.existing.body"), t("accounts.mail.existing.hint")],
    button: t("accounts.mail.existing.button"),
    fallback: t("accounts.mail.reset.fallback"),
    url: c.url,
    after: [t("accounts.mail.existing.ignore")],
    team: c.team,
  });
}
