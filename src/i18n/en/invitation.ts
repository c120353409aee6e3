import type { Messages } from "../index";

export const invitation: Messages["invitation"] = {
  title: "Activate your portal access",
  intro: "Choose a password to enter the support portal, where you can follow your tickets and open new ones.",
  email: "Email",
  password: "Password",
  passwordConfirm: "Repeat password",
  passwordHint: "At least {min} characters.",
  submit: "Sign up",
  submitting: "Signing up…",
  loading: "Checking the link…",
  invalid: "This invitation link is not valid. Check that you copied all of it.",
  expired: "This invitation link has expired. Write to us and we will send you a new one.",
  used: "This invitation link has already been used. Sign in with your email and password.",
  login: "Sign in",
};
