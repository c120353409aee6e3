/**
 * The benchmarks' command line: `--name=number` for each default, boolean switches, string options,
 * and `--help` listing them. One parser for bench:live, bench:mail and bench:kb.
 */
export function parseBenchFlags<D extends Record<string, number>, B extends string, S extends string>(
  argv: string[],
  spec: { defaults: D; switches: readonly B[]; strings: readonly S[]; usage: string; help: string },
): D & Record<B, boolean> & Partial<Record<S, string>> {
  const flags: Record<string, unknown> = { ...spec.defaults, ...Object.fromEntries(spec.switches.map((s) => [s, false])) };
  for (const arg of argv) {
    if (arg === "--help" || arg === "-h") {
      const numbers = Object.entries(spec.defaults).map(([k, v]) => `  --${k}=${v}`).join("\n");
      console.log(`${spec.usage}\n${numbers}\n${spec.help}`);
      process.exit(0);
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg}`);
    const key = m[1]!;
    const value = m[2];
    if ((spec.strings as readonly string[]).includes(key)) flags[key] = value;
    else if ((spec.switches as readonly string[]).includes(key)) flags[key] = value !== "false";
    else if (key in spec.defaults) {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new Error(`--${key} needs a number`);
      flags[key] = n;
    } else throw new Error(`unknown flag --${key}`);
  }
  return flags as D & Record<B, boolean> & Partial<Record<S, string>>;
}

/** Benchmarks only ever talk to this machine. */
export function assertLoopback(...urls: string[]) {
  for (const u of urls) {
    if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(u).hostname)) throw new Error(`loopback only: ${u}`);
  }
}
