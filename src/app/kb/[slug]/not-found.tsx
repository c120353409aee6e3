import { SearchBox } from "~/components/kb/SearchBox";
import { getServerT } from "~/i18n/server";

export default async function ArticleNotFound() {
  const t = await getServerT();
  return (
    <div className="stack">
      <h1>{t("kb.notFound")}</h1>
      <SearchBox t={t} />
      <p>
        <a href="/kb">{t("kb.back")}</a>
      </p>
    </div>
  );
}
