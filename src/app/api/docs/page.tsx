import type { Metadata } from "next";
import { getServerT } from "~/i18n/server";
import { ApiReference } from "./ApiReference";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getServerT();
  return { title: `${t("apiTokens.docsTitle")} · ${t("app.name")}` };
}

/** The /api/v1 reference, rendered from its OpenAPI document by this app's own bundle (no CDN). */
export default async function ApiDocsPage() {
  const t = await getServerT();
  return (
    <div className="stack">
      <h1>{t("apiTokens.docsTitle")}</h1>
      <p className="muted">{t("apiTokens.docsIntro")}</p>
      <ApiReference />
    </div>
  );
}
