import type { Metadata } from "next";
import { ForgotTrackingId } from "~/components/guest/ForgotTrackingId";
import { translator } from "~/i18n";
import { getRequestLocale } from "~/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = translator(await getRequestLocale());
  return { title: `${t("guest.forgot.title")} · ${t("app.name")}` };
}

export default function ForgotTrackingIdPage() {
  return <ForgotTrackingId />;
}
