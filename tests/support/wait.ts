import { EventEmitter } from "node:events";

/** Resolves with the first value `probe` returns that is not undefined, re-probing whenever `signal` fires. */
export function waitUntil<T>(signal: EventEmitter, event: string, probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const check = () => {
      let value: T | undefined;
      try {
        value = probe();
      } catch (err) {
        done();
        reject(err as Error);
        return;
      }
      if (value !== undefined) {
        done();
        resolve(value);
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      signal.off(event, check);
    };
    signal.on(event, check);
    check();
  });
}

/** Retries an async check until it returns a value (not undefined) or the time is up. Not a proof by itself: a readiness wait. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Rejects if `p` has not settled in time, naming what was awaited. */
export function withTimeout<T>(p: Promise<T>, what: string, timeoutMs = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}
