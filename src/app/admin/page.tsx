import { getServerT } from "~/i18n/server";
import { ADMIN_SECTIONS } from "~/shared/admin-pages";

/** /admin: every admin page, by section, each with a line saying what it is for. */
export default async function AdminHome() {
  const t = await getServerT();
  return (
    <div className="stack">
      <h1>{t("adminHome.title")}</h1>
      <p className="muted">{t("adminHome.intro")}</p>
      <div className="admin-home">
        {ADMIN_SECTIONS.map((section) => (
          <section key={section.key} className="card stack" aria-labelledby={`admin-${section.key}`}>
            <h2 id={`admin-${section.key}`}>{t(`adminHome.sections.${section.key}`)}</h2>
            <ul className="stack bare-list">
              {section.pages.map((page) => (
                <li key={page.href}>
                  <a href={page.href}>{t(`adminHome.pages.${page.key}.title`)}</a>
                  <div className="muted">{t(`adminHome.pages.${page.key}.description`)}</div>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
