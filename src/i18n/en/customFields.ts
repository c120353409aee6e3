import type { Messages } from "../index";

export const customFields: Messages["customFields"] = {
  title: "Custom fields",
  save: "Save fields",
  saved: "Fields saved.",
  noValue: "No value",
  yes: "Yes",
  no: "No",
};
