/** Lifetimes a token may be given (days); a token without one works until revoked. */
export const API_TOKEN_EXPIRY_DAYS = [7, 30, 90, 365] as const;
export const API_TOKEN_NAME_MAX = 80;
