"use client";
import { PortalIntro } from "~/components/portal/PortalIntro";
import { NewTicketForm } from "~/components/ticket/NewTicketForm";

export default function NewTicketPage() {
  return (
    <>
      <PortalIntro page="newTicket" />
      <NewTicketForm />
    </>
  );
}
