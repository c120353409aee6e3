// How every benchmark process runs its main function: bounded by a watchdog, interruptible, and
// always through its own clean-up (children killed, bench Redis keys and temporary files removed).

export interface BenchRun {
  main(): Promise<number>;
  timeoutSec: number;
  log(line: string): void;
  /** Ends the run early (timeout, signal, crash) with this exit code, after cleaning up. */
  abort(code: number): Promise<never> | never;
  /** After a normal end: what must not outlive the process (its children). */
  finish(): void;
}

export function runBench(run: BenchRun): void {
  const watchdog = setTimeout(() => {
    run.log(`timed out after ${run.timeoutSec}s`);
    void run.abort(2);
  }, run.timeoutSec * 1000);
  watchdog.unref();
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => void run.abort(130));
  run.main().then(
    (code) => {
      clearTimeout(watchdog);
      // Give children a moment to exit on their own; then make sure.
      setTimeout(() => {
        run.finish();
        process.exit(code);
      }, 300);
    },
    (err: Error) => {
      run.log(`failed: ${err.stack ?? err.message}`);
      void run.abort(1);
    },
  );
}
