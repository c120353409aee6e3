import type { Messages } from "../index";

export const adminHome: Messages["adminHome"] = {
  title: "Administration",
  intro: "Every administration page of the help desk.",
  sections: { people: "People and teams", support: "Support process", mail: "Mail", kb: "Knowledge base", settings: "Settings" },
  pages: {
    staff: { title: "People", description: "Agents and admins: invite by email, change role, deactivate and reactivate." },
    customers: { title: "Customers", description: "Every customer, with their organization; search by name, email or company." },
    organizations: { title: "Organizations", description: "Customer companies, their email domains and whether their members see each other's tickets." },
    teams: { title: "Teams", description: "Teams of agents: tickets can be handed to a team, and its members see them under \"My teams\"." },
    sla: { title: "SLA", description: "Business hours, holidays, and first-response and resolution targets by priority." },
    cannedReplies: { title: "Canned replies", description: "Texts agents insert in their answers, with placeholders such as the customer's name." },
    reports: { title: "Reports", description: "Tickets created and solved, response times, SLA, evaluations, knowledge base and busiest hours, with CSV." },
    evaluations: { title: "Evaluations", description: "How customers rate the answers, per agent, their comments, and the requests an article solved." },
    inbound: { title: "Incoming mail", description: "Received mail that needs review, and stopped mail loops." },
    imapMailboxes: { title: "IMAP mailboxes", description: "Mailboxes support mail is collected from." },
    mailbox: { title: "Sent mail", description: "Log of the mail the help desk has sent." },
    synonyms: { title: "Synonyms", description: "Equivalent words for the article search." },
    settings: { title: "Settings", description: "Team name, support addresses, default language and time zone, and customer sign-up." },
    mailTemplates: { title: "Mail templates", description: "The subject and body of every mail sent, in each language, with a preview." },
    portalTexts: { title: "Portal texts", description: "The introduction of the portal's home page and of the new-ticket page." },
    audit: { title: "Audit log", description: "Who changed what and when in the administration, with before and after." },
    categories: { title: "Categories", description: "The reasons customers choose from when they open a ticket, and each one's fields." },
    products: { title: "Products", description: "The products customers look up when they open a ticket." },
    api: { title: "Integration API", description: "API tokens (personal and service), their last use, and the /api/v1 reference." },
    webhooks: { title: "Webhooks", description: "Signed notices to other systems when a ticket is created or changes, with their delivery log." },
  },
};
