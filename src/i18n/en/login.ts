import type { Messages } from "../index";

export const login: Messages["login"] = {
  title: "Sign in",
  email: "Email",
  password: "Password",
  submit: "Sign in",
  invalid: "Wrong email or password.",
  google: "Continue with Google",
  facebook: "Continue with Facebook",
  or: "or",
};
