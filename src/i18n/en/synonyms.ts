import type { Messages } from "../index";

export const synonyms: Messages["synonyms"] = {
  title: "Search synonyms",
  intro: "Words the knowledge base search treats as equivalent.",
  language: "Language",
  groups: "Synonyms (one group per line, words separated by commas)",
  save: "Save",
  saving: "Saving…",
  saved: "Synonyms saved",
  invalidLine: "Line {line} needs at least two words.",
};
