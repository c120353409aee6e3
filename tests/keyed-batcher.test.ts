import { describe, expect, it } from "vitest";
import { fulfilled, keyedBatcher } from "~/server/db/keyed-batcher";

describe("keyedBatcher", () => {
  it("'tick' gathers the keys of one tick into one run, each caller getting its own result", async () => {
    const runs: number[][] = [];
    const double = keyedBatcher<number, number>(async (keys) => (runs.push(keys), fulfilled(keys.map((k) => k * 2))), { maxBatch: 10, maxInFlight: 1, gather: "tick" });
    expect(await Promise.all([1, 2, 3].map(double))).toEqual([2, 4, 6]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it("'now' runs at once and puts what arrives meanwhile in the next run, keys kept apart as asked", async () => {
    const runs: string[][] = [];
    const echo = keyedBatcher<string, string>(async (keys) => (runs.push(keys), await new Promise((r) => setTimeout(r, 5)), fulfilled(keys)), {
      maxBatch: 10,
      maxInFlight: 1,
      gather: "now",
      apart: (a, b) => a === b,
    });
    expect(await Promise.all(["a", "b", "c", "b"].map(echo))).toEqual(["a", "b", "c", "b"]);
    expect(runs).toEqual([["a"], ["b", "c"], ["b"]]);
  });

  it("a run that throws is tried one key at a time: only the bad key's caller fails; a per-key rejection reaches its caller", async () => {
    const runs: number[][] = [];
    const check = keyedBatcher<number, number>(
      async (keys) => {
        runs.push(keys);
        if (keys.includes(13)) throw new Error("bad key in the statement");
        return keys.map((k) => (k < 0 ? { status: "rejected" as const, reason: new Error(`negative ${k}`) } : { status: "fulfilled" as const, value: k }));
      },
      { maxBatch: 10, maxInFlight: 2, gather: "tick" },
    );
    const results = await Promise.allSettled([1, 13, -2, 4].map(check));
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([1, "bad key in the statement", "negative -2", 4]);
    expect(runs).toEqual([[1, 13, -2, 4], [1], [13], [-2], [4]]);
  });
});
