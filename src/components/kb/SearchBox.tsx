import type { T } from "~/i18n";

/** A plain GET form: works before (and without) JavaScript, and its results page is a real URL. */
export function SearchBox({ t, q = "" }: { t: T; q?: string }) {
  return (
    <form role="search" action="/kb/search" method="get" className="row kb-search">
      <label className="grow">
        {t("kb.searchLabel")}
        <input type="search" name="q" defaultValue={q} maxLength={200} required />
      </label>
      <button type="submit">{t("kb.searchSubmit")}</button>
    </form>
  );
}
