import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { withTimeout } from "./wait";

export interface SpawnedServer {
  url: string;
  child: ChildProcess;
  /** The server's own node process (under npx and tsx): SIGKILL it to crash the server. */
  pid: number;
  /** Stops the whole process group (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/** Runs tests/support/spawn-server.ts as a separate OS process sharing this run's DB and Redis prefix. */
export async function spawnServerProcess(): Promise<SpawnedServer> {
  const child = spawn("npx", ["tsx", path.join("tests", "support", "spawn-server.ts")], {
    cwd: path.resolve(import.meta.dirname, "..", ".."),
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1" },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true, // its own process group, so npx, tsx and node all get our SIGTERM
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {}
        resolve();
      }, 10_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    });
  try {
    const started = await withTimeout(
      new Promise<{ port: number; pid: number }>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout! });
        lines.on("line", (line) => {
          try {
            const parsed = JSON.parse(line) as { port?: number; pid?: number };
            if (typeof parsed.port === "number" && typeof parsed.pid === "number") resolve({ port: parsed.port, pid: parsed.pid });
          } catch {
            // not our line (npx chatter)
          }
        });
        child.once("exit", (code) => reject(new Error(`spawned server exited with ${code}: ${stderr}`)));
      }),
      "the spawned server's port",
      45_000,
    );
    return { url: `http://127.0.0.1:${started.port}`, child, pid: started.pid, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
