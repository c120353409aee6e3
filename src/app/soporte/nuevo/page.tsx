import type { Metadata } from "next";
import { GuestTicketForm } from "~/components/guest/GuestTicketForm";
import { translator } from "~/i18n";
import { getRequestLocale } from "~/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = translator(await getRequestLocale());
  return { title: `${t("guest.form.title")} · ${t("app.name")}` };
}

/** A ticket without an account (issue 15, seed 001). */
export default function GuestNewTicketPage() {
  return <GuestTicketForm />;
}
