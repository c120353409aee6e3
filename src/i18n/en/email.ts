import type { Messages } from "../index";

export const email: Messages["email"] = {
  created: {
    subject: "[#{number}] Ticket received: {subject}",
    greeting: "Hello {name},",
    body: "We have received your request and opened ticket #{number}.",
    tracking: "Tracking ID: {trackingId}",
    link: "Follow the ticket in the portal: {url}",
    replyHint: "To add information, reply to this email or write from the portal.",
  },
  reply: {
    subject: "[#{number}] New reply: {subject}",
    intro: "{agent} replied to your ticket #{number}:",
    link: "View the ticket: {url}",
  },
  autoClose: {
    WAITING_ON_CUSTOMER: "Closed automatically: we did not hear back from you within {hours} hours.",
    RESOLVED: "Closed automatically {hours} hours after it was resolved.",
  },
  status: {
    subject: "[#{number}] Status updated: {status}",
    body: "The status of your ticket #{number} changed from “{from}” to “{to}”.",
    link: "View the ticket: {url}",
    reason: "Reason: {reason}",
    hint: {
      WAITING_ON_CUSTOMER: "We need more information to continue: reply to this email or write from the portal.",
      RESOLVED: "If the problem persists, reply to this email within {hours} hours and the ticket will reopen.",
      CLOSED: "The ticket is closed. If you need more help, write to us again and we will open a new ticket.",
      REJECTED: "The ticket was rejected. You can open a new one with the missing information.",
    },
  },
  invitation: {
    subject: "Activate your access to the support portal",
    greeting: "Hello {name},",
    body: "You now have access to the {team} support portal, where you can follow your tickets and open new ones. To activate it, choose a password.",
    button: "Accept the invitation",
    fallback: "If the button does not work, copy this link into your browser:",
    expiry: "The link is valid for {days} days and can be used only once.",
    ignore: "If you were not expecting this email, you can ignore it.",
  },
  tooLarge: {
    subject: "[#{number}] We could not keep your attachments",
    body: "We received your message on ticket #{number}, but its attachments add up to {size} MB and the limit is {max} MB per message, so they were not kept.",
    hint: "Send them in several smaller messages or share them with a link.",
  },
  signature: "— {team}",
  via: "{agent} via {team}",
  sla: {
    target: { FIRST_RESPONSE: "first response", RESOLUTION: "resolution" },
    breachedSubject: "[#{number}] SLA missed: {target}",
    breachedBody: "The {target} target of ticket #{number} “{subject}” was due on {due} and was missed.",
    assignee: "Assigned to: {name}",
    unassigned: "Nobody is assigned to the ticket.",
    escalatedSubject: "[#{number}] Escalated: reopened a second time",
    escalatedBody: "The customer reopened ticket #{number} “{subject}” a second time: it goes to management.",
    link: "View the ticket: {url}",
  },
  // Mails of the agents' actions (tickets/request-info.ts, resolve.ts, merge.ts).
  actions: {
    infoRequested: {
      subject: "[#{number}] We need some information: {subject}",
      intro: "{agent} needs more information to continue with your ticket #{number}:",
      answer: "Reply to this email or write from the portal: {url}",
      paused: "While we wait for your answer, the response time is paused.",
    },
    resolved: {
      subject: "[#{number}] Your ticket was resolved: {subject}",
      intro: "{agent} has resolved your ticket #{number}. The solution:",
      question: "Did this answer help you? Tell us with one click:",
      button: "Rate the answer",
      reopen: "If the problem persists, reply to this email within {hours} hours and the ticket will reopen.",
      link: "View the ticket: {url}",
    },
    merged: {
      subject: "[#{number}] Your ticket continues in #{survivor}",
      body: "Your ticket #{number} was about the same matter as #{survivor}, so we joined them: its messages are now in #{survivor} and we will continue there.",
      replyHint: "If you reply to an email about #{number}, your message reaches #{survivor}.",
      link: "View ticket #{survivor}: {url}",
    },
  },
};
