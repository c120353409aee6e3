/** The support addresses we accept mail for, and the per-ticket reply addresses derived from them. */
export interface MailboxConfig {
  supportAddresses: string[];
}

function split(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf("@");
  return { local: address.slice(0, at).toLowerCase(), domain: address.slice(at + 1).toLowerCase() };
}

/** The domain of the first support address: a DKIM signature of this domain speaks for the team. */
export function supportDomain(cfg: MailboxConfig): string {
  return split(cfg.supportAddresses[0]!).domain;
}

/**
 * `soporte+<ticket token>@dominio`, the base being the first support address. With a staff member's
 * own token, `soporte+<ticket token>-<user token>@dominio`: their personal reply address for that
 * ticket. The ticket part threads the mail; the user part proves who wrote it (both are secrets).
 */
export function replyAddress(cfg: MailboxConfig, token: string, userToken?: string | null): string {
  const { local, domain } = split(cfg.supportAddresses[0]!);
  return `${local}+${token}${userToken ? `-${userToken}` : ""}@${domain}`;
}

/** Whether we accept mail for this recipient: a support address, or one of its `+token` forms. */
export function isSupportRecipient(cfg: MailboxConfig, address: string): boolean {
  const { local, domain } = split(address);
  const base = local.split("+")[0];
  return cfg.supportAddresses.some((a) => {
    const s = split(a);
    return s.domain === domain && s.local === base;
  });
}

const TOKENS = /^([0-9a-z]{16,64})(?:-([0-9a-z]{16,64}))?$/;

/** The ticket token and (on a staff member's personal address) the user token of a recipient of ours. */
export function replyTokensOf(cfg: MailboxConfig, address: string): { ticket: string; user: string | null } | null {
  if (!isSupportRecipient(cfg, address)) return null;
  const { local } = split(address);
  const plus = local.indexOf("+");
  if (plus < 0) return null;
  const m = TOKENS.exec(local.slice(plus + 1));
  return m ? { ticket: m[1]!, user: m[2] ?? null } : null;
}

/** The ticket's reply token in a recipient like `soporte+abc123@…` (or `soporte+abc123-<user>@…`), if it is one of ours. */
export function replyTokenOf(cfg: MailboxConfig, address: string): string | null {
  return replyTokensOf(cfg, address)?.ticket ?? null;
}

/**
 * A ticket's reply address (`soporte+<ticket token>@…`) turned into a staff member's personal one
 * for that ticket; anything else is returned as it is.
 */
export function personalReplyAddress(ticketAddress: string, userToken: string): string {
  const m = /^([^+@\s]+)\+([0-9a-z]{16,64})@([^@\s]+)$/i.exec(ticketAddress);
  return m ? `${m[1]}+${m[2]}-${userToken}@${m[3]}` : ticketAddress;
}
