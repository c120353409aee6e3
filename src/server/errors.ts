import type { Messages } from "~/i18n";

export type AppErrorCode = keyof Messages["errors"];

const kinds: Record<AppErrorCode, "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_REQUEST" | "CONFLICT" | "INTERNAL_SERVER_ERROR"> = {
  UNAUTHORIZED: "UNAUTHORIZED",
  SESSION_EXPIRED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  TICKET_NOT_FOUND: "NOT_FOUND",
  ATTACHMENT_NOT_FOUND: "NOT_FOUND",
  CATEGORY_NOT_FOUND: "BAD_REQUEST",
  ASSIGNEE_INVALID: "BAD_REQUEST",
  TICKET_CLOSED: "CONFLICT",
  STATUS_UNCHANGED: "CONFLICT",
  INBOUND_NOT_RETRYABLE: "CONFLICT",
  REASON_REQUIRED: "BAD_REQUEST",
  VALIDATION: "BAD_REQUEST",
  SUBJECT_REQUIRED: "BAD_REQUEST",
  SUBJECT_TOO_LONG: "BAD_REQUEST",
  BODY_REQUIRED: "BAD_REQUEST",
  BODY_TOO_LONG: "BAD_REQUEST",
  PASSWORD_TOO_SHORT: "BAD_REQUEST",
  PASSWORD_TOO_LONG: "BAD_REQUEST",
  PASSWORD_MISMATCH: "BAD_REQUEST",
  INVITATION_INVALID: "NOT_FOUND",
  INVITATION_EXPIRED: "BAD_REQUEST",
  INVITATION_USED: "CONFLICT",
  NAME_REQUIRED: "BAD_REQUEST",
  NAME_TOO_LONG: "BAD_REQUEST",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

/** The one error vocabulary of the domain; the API layer maps it to tRPC codes and localizes it. */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    readonly params?: Record<string, string | number>,
  ) {
    super(code);
    this.name = "AppError";
  }

  get kind() {
    return kinds[this.code];
  }
}
