import type { Metadata } from "next";
import { GuestTracking } from "~/components/guest/GuestTracking";
import { translator } from "~/i18n";
import { getRequestLocale } from "~/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = translator(await getRequestLocale());
  return { title: `${t("guest.tracking.title")} · ${t("app.name")}` };
}

/** "Ver Tickets existentes": the tracking ID (filled in from the mail's link, `?id=`) and the address. */
export default async function GuestTrackingPage({ searchParams }: { searchParams: Promise<{ id?: string | string[] }> }) {
  const { id } = await searchParams;
  return <GuestTracking initialId={typeof id === "string" ? id.slice(0, 64) : ""} />;
}
