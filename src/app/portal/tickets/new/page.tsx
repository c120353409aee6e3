"use client";
import { NewTicketForm } from "~/components/ticket/NewTicketForm";

export default function NewTicketPage() {
  return <NewTicketForm />;
}
