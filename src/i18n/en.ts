import type { Messages } from "./index";
import { app } from "./en/app";
import { nav } from "./en/nav";
import { status } from "./en/status";
import { priority } from "./en/priority";
import { channel } from "./en/channel";
import { login } from "./en/login";
import { oauth } from "./en/oauth";
import { ticketForm } from "./en/ticketForm";
import { portal } from "./en/portal";
import { queue } from "./en/queue";
import { ticketKeys } from "./en/ticketKeys";
import { shortcuts } from "./en/shortcuts";
import { ticket } from "./en/ticket";
import { inbound } from "./en/inbound";
import { invitation } from "./en/invitation";
import { profile } from "./en/profile";
import { agentTicketForm } from "./en/agentTicketForm";
import { synonyms } from "./en/synonyms";
import { imapMailboxes } from "./en/imapMailboxes";
import { cannedReplies } from "./en/cannedReplies";
import { bell } from "./en/bell";
import { mailbox } from "./en/mailbox";
import { kb } from "./en/kb";
import { slaAdmin } from "./en/slaAdmin";
import { presence } from "./en/presence";
import { customFields } from "./en/customFields";
import { catalog } from "./en/catalog";
import { newTicket } from "./en/newTicket";
import { errors } from "./en/errors";
import { email } from "./en/email";
import { actions } from "./en/actions";
import { evaluation } from "./en/evaluation";
import { teams } from "./en/teams";
import { apiTokens } from "./en/apiTokens";
import { adminHome } from "./en/adminHome";
import { accounts } from "./en/accounts";
import { myTickets } from "./en/myTickets";
import { loading } from "./en/loading";
import { siteMenu } from "./en/siteMenu";
import { attachments } from "./en/attachments";
import { writing } from "./en/writing";
import { webhooks } from "./en/webhooks";
import { people } from "./en/people";
import { guest } from "./en/guest";
import { reports } from "./en/reports";
import { siteSettings } from "./en/siteSettings";

/** The English catalog: one file per namespace under ./en/ (add a namespace there and list it here). */
export const en: Messages = {
  app,
  nav,
  status,
  priority,
  channel,
  login,
  oauth,
  ticketForm,
  portal,
  queue,
  ticketKeys,
  shortcuts,
  ticket,
  inbound,
  invitation,
  profile,
  agentTicketForm,
  synonyms,
  imapMailboxes,
  cannedReplies,
  bell,
  mailbox,
  kb,
  slaAdmin,
  presence,
  customFields,
  errors,
  email,
  actions,
  evaluation,
  teams,
  apiTokens,
  adminHome,
  accounts,
  myTickets,
  loading,
  siteMenu,
  attachments,
  writing,
  webhooks,
  people,
  reports,
  siteSettings,
  catalog,
  newTicket,
  guest,
};
