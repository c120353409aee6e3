import type { Messages } from "../index";

export const profile: Messages["profile"] = {
  title: "Your profile",
  welcome: "Welcome! Your account is active. Complete your profile if you like.",
  email: "Email",
  name: "Name",
  save: "Save",
  saving: "Saving…",
  saved: "Profile saved.",
  home: "Home",
};
