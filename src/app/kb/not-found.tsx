import { SearchBox } from "~/components/kb/SearchBox";
import { getServerT } from "~/i18n/server";

export default async function KbNotFound() {
  const t = await getServerT();
  return (
    <div className="stack">
      <h1>{t("kb.pageNotFound")}</h1>
      <SearchBox t={t} />
      <p>
        <a href="/kb">{t("kb.back")}</a>
      </p>
    </div>
  );
}
