import type { Messages } from "../index";

export const writing: Messages["writing"] = {
  region: "Writing tips",
  hints: {
    shouting: "This is written almost all in CAPITALS: it reads as shouting and is hard to read. Switch to lower case?",
    punctuation: "Several marks in a row (!!!, ???) sound impatient. One is enough.",
    contact: "Your message includes a phone number or an email address. For your privacy, keep them in your profile instead of writing them here.",
    tooShort: "The message is very short. Tell us what happens, where and since when so we can help the first time.",
  },
  names: {
    shouting: "capitals",
    punctuation: "repeated marks",
    contact: "contact details",
    tooShort: "short message",
  },
  dismiss: "Dismiss the tip about {hint}",
  dismissShort: "Got it",
  similar: {
    question: "Is this about ticket #{number}?",
    link: "Add your message there (#{number})",
    stillNew: "If it is another matter, you can still send this ticket.",
  },
};
