import type { Messages } from "../index";

export const oauth: Messages["oauth"] = {
  OAuthEmailUnverified:
    "Google has not verified this email address, so it cannot be used to sign in. Verify it in your Google account and try again, or sign in with your password.",
  OAuthLinkWithPassword:
    "An account with this email already exists. Sign in with your password to link Facebook: then press “Link Facebook” on your profile.",
  OAuthLinkNoPassword:
    "An account with this email already exists, but it has no password yet, so we cannot check that it is yours. Set a password with the invitation we sent to that address (if you cannot find it, ask support), sign in with it and press “Link Facebook” on your profile.",
  OAuthNoAccount:
    "You have no account with this email yet, and Facebook does not let us check that the address is yours. Write to support or open a ticket: we will send you an invitation to set your password, and then you can link Facebook from your profile.",
  OAuthNoEmail: "The provider did not share your email address. Allow it and try again.",
  OAuthLinkedElsewhere: "That Google or Facebook account is already linked to another user.",
  OAuthAccountDeactivated: "Your account is deactivated. If you think this is a mistake, talk to an admin.",
  OAuthLinkFailed: "The account could not be linked. Please try again.",
  OAuthAccountNotLinked: "An account with this email already exists. Sign in with your password.",
  generic: "Could not sign in. Please try again.",
  linkedTitle: "Linked sign-ins",
  linkedIntro: "Link your Google or Facebook account to sign in with it too.",
  link: "Link {provider}",
  isLinked: "{provider}: linked",
  linkedNow: "{provider} is now linked. You can sign in with it from now on.",
};
