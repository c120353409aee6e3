import cluster from "node:cluster";
import type { Logger } from "~/server/observability/logger";

export interface ForkedCluster {
  pids: number[];
  /** SIGTERM to every live child; resolves when all have exited. Children that die afterwards are not replaced. */
  stop(): Promise<void>;
}

/**
 * Forks `count` copies of this program with node:cluster and waits until each has said
 * `process.send({ ready: true })`. At start, a child that dies before it is ready (bad settings)
 * stops them all and rejects, instead of looping. Once the cluster is up, a child that dies is
 * replaced, and a replacement that fails to start is tried again, waiting longer each time (up to
 * 30 s): the healthy children keep serving meanwhile.
 */
export async function forkCluster(count: number, what: string, log: Logger): Promise<ForkedCluster> {
  let stopping = false;
  let up = false;
  let ready = 0;
  let failedStarts = 0;
  let settle: (err?: Error) => void = () => {};
  const everyoneReady = new Promise<void>((resolve, reject) => (settle = (err) => (err ? reject(err) : resolve())));
  const stop = async () => {
    stopping = true;
    const live = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
    await Promise.all(
      live.map(
        (w) =>
          new Promise<void>((resolve) => {
            w!.once("exit", () => resolve());
            w!.process.kill("SIGTERM");
          }),
      ),
    );
  };
  const fork = () => {
    const worker = cluster.fork();
    let isReady = false;
    worker.on("message", (msg: { ready?: boolean }) => {
      if (!msg?.ready || isReady) return;
      isReady = true;
      failedStarts = 0;
      if (++ready === count) {
        up = true;
        settle();
      }
    });
    worker.on("exit", (code, signal) => {
      if (stopping) return;
      if (!isReady && !up) {
        log.error({ pid: worker.process.pid, exit: signal ?? code }, `a ${what} exited before it was ready; stopping`);
        void stop().then(() => settle(new Error(`a ${what} exited before it was ready`)));
        return;
      }
      if (!isReady) {
        const wait = Math.min(30_000, 1000 * 2 ** ++failedStarts);
        log.error({ pid: worker.process.pid, exit: signal ?? code, retryInMs: wait }, `a replacement ${what} exited before it was ready; trying again`);
        setTimeout(fork, wait);
        return;
      }
      log.warn({ pid: worker.process.pid, exit: signal ?? code }, `${what} exited; starting another`);
      setTimeout(fork, 1000);
    });
  };
  for (let i = 0; i < count; i++) fork();
  await everyoneReady;
  return { pids: Object.values(cluster.workers ?? {}).map((w) => w!.process.pid!), stop };
}
