"use client";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

const REASONS = ["NOT_SOLVED", "HARD_TO_UNDERSTAND", "OUTDATED", "OTHER"] as const;

export default function AgentKbList() {
  const { t } = useI18n();
  const stats = api.kb.stats.useQuery();
  const rows = stats.data ?? [];
  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: "space-between", alignItems: "center" }}>
        <h1>{t("kb.agent.title")}</h1>
        <div className="row" style={{ alignItems: "center" }}>
          <a href="/kb">{t("kb.agent.publicSite")}</a>
          <a className="button" href="/agent/kb/new">
            {t("kb.agent.newArticle")}
          </a>
        </div>
      </div>
      {stats.error && <p role="alert">{stats.error.message}</p>}
      {stats.isSuccess && rows.length === 0 ? (
        <p className="muted">{t("kb.agent.empty")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("kb.agent.colTitle")}</th>
              <th scope="col">{t("kb.agent.colLanguage")}</th>
              <th scope="col">{t("kb.agent.colState")}</th>
              <th scope="col" className="num">
                {t("kb.agent.colViews")}
              </th>
              <th scope="col" className="num">
                {t("kb.agent.colYes")}
              </th>
              <th scope="col" className="num">
                {t("kb.agent.colNo")}
              </th>
              <th scope="col" className="num">
                {t("kb.agent.colHelpful")}
              </th>
              <th scope="col">{t("kb.agent.colReasons")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => {
              const reasons = REASONS.filter((r) => a.reasons[r]);
              return (
                <tr key={a.id}>
                  <td>
                    <a href={`/agent/kb/${a.id}`}>{a.title}</a>
                  </td>
                  <td>{t(`kb.languages.${a.language === "en" ? "en" : "es"}`)}</td>
                  <td>
                    <span className={`badge ${a.state}`}>{t(`kb.agent.states.${a.state}`)}</span>
                  </td>
                  <td className="num">{a.views}</td>
                  <td className="num">{a.yes}</td>
                  <td className="num">{a.no}</td>
                  <td className="num">{a.helpfulRate === null ? "—" : `${Math.round(a.helpfulRate * 100)} %`}</td>
                  <td>
                    {reasons.length > 0 && (
                      <ul className="plain">
                        {reasons.map((r) => (
                          <li key={r}>
                            {t(`kb.feedback.reasons.${r}`)}: {a.reasons[r]}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
