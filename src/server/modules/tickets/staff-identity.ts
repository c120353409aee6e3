/**
 * What a customer sees of a staff member: the name, never the account id (what a forged session
 * names) or the address (what a phisher forges).
 */
export function nameOnly<P extends { id: string; email: string } | null>(person: P): P {
  return person ? { ...person, id: "", email: "" } : person;
}
