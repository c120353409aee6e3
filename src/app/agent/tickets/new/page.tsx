"use client";
import { NewTicketForm } from "~/components/ticket/NewTicketForm";

/** An agent records a request received by phone. */
export default function AgentNewTicketPage() {
  return <NewTicketForm phone />;
}
