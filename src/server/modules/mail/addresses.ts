/** The support addresses we accept mail for, and the per-ticket reply addresses derived from them. */
export interface MailboxConfig {
  supportAddresses: string[];
}

function split(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf("@");
  return { local: address.slice(0, at).toLowerCase(), domain: address.slice(at + 1).toLowerCase() };
}

/** `soporte+<token>@dominio`: the base is the first support address. */
export function replyAddress(cfg: MailboxConfig, token: string): string {
  const { local, domain } = split(cfg.supportAddresses[0]!);
  return `${local}+${token}@${domain}`;
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

/** The reply token in a recipient like `soporte+abc123@…`, if it is one of ours. */
export function replyTokenOf(cfg: MailboxConfig, address: string): string | null {
  if (!isSupportRecipient(cfg, address)) return null;
  const plus = split(address).local.indexOf("+");
  if (plus < 0) return null;
  const token = split(address).local.slice(plus + 1);
  return /^[0-9a-z]{16,64}$/.test(token) ? token : null;
}
