/**
 * The IANA zones this runtime knows (Intl.supportedValuesOf), plus UTC, which some runtimes leave out
 * of that list though every formatter accepts it. The same list on the server (validation) and in
 * the browser (the profile's choices).
 */
let zones: ReadonlySet<string> | undefined;

export function timeZones(): ReadonlySet<string> {
  zones ??= new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);
  return zones;
}

export function isTimeZone(value: string): boolean {
  return timeZones().has(value);
}
