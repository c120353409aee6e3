import { app } from "./es/app";
import { nav } from "./es/nav";
import { status } from "./es/status";
import { priority } from "./es/priority";
import { channel } from "./es/channel";
import { login } from "./es/login";
import { oauth } from "./es/oauth";
import { ticketForm } from "./es/ticketForm";
import { portal } from "./es/portal";
import { queue } from "./es/queue";
import { ticketKeys } from "./es/ticketKeys";
import { shortcuts } from "./es/shortcuts";
import { ticket } from "./es/ticket";
import { inbound } from "./es/inbound";
import { invitation } from "./es/invitation";
import { profile } from "./es/profile";
import { agentTicketForm } from "./es/agentTicketForm";
import { synonyms } from "./es/synonyms";
import { imapMailboxes } from "./es/imapMailboxes";
import { cannedReplies } from "./es/cannedReplies";
import { bell } from "./es/bell";
import { mailbox } from "./es/mailbox";
import { kb } from "./es/kb";
import { slaAdmin } from "./es/slaAdmin";
import { presence } from "./es/presence";
import { customFields } from "./es/customFields";
import { catalog } from "./es/catalog";
import { newTicket } from "./es/newTicket";
import { errors } from "./es/errors";
import { email } from "./es/email";
import { actions } from "./es/actions";
import { evaluation } from "./es/evaluation";
import { teams } from "./es/teams";
import { apiTokens } from "./es/apiTokens";
import { adminHome } from "./es/adminHome";
import { accounts } from "./es/accounts";
import { myTickets } from "./es/myTickets";
import { loading } from "./es/loading";
import { siteMenu } from "./es/siteMenu";
import { attachments } from "./es/attachments";
import { writing } from "./es/writing";
import { webhooks } from "./es/webhooks";
import { people } from "./es/people";
import { guest } from "./es/guest";
import { reports } from "./es/reports";
import { siteSettings } from "./es/siteSettings";

/** The Spanish (default) catalog: one file per namespace under ./es/ (add a namespace there and list it here). */
export const es = {
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
