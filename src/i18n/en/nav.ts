import type { Messages } from "../index";

export const nav: Messages["nav"] = { portal: "My tickets", newTicket: "New ticket", queue: "Queue", mailbox: "Dev mailbox", inbound: "Incoming mail", logout: "Sign out", signIn: "Sign in", profile: "My profile", home: "Home", language: "Language", kb: "Knowledge base", synonyms: "Synonyms", imapMailboxes: "IMAP mailboxes", sla: "SLA", admin: "Administration", teams: "Teams", cannedReplies: "Canned replies", evaluations: "Evaluations", categories: "Categories", products: "Products" };
