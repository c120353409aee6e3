// The orphan sweep against a real tmp.store directory and real rows: files a row names are never
// touched, whatever their age; files no row names go once they are a day old; younger ones, ones
// past the week a sweep looks back over, and knowledge-base images stay.
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { utimes } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { systemClock } from "~/server/clock";
import { processInboundMail } from "~/server/modules/mail/process/process-inbound-mail";
import { storeInboundMail } from "~/server/modules/mail/intake/store-inbound-mail";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import { useTempStore } from "./support/temp-store";
import { sweepOrphanBlobs } from "~/server/modules/storage/sweep-orphans";
import { db } from "./support/fixtures";
import { SUPPORT, crlf, inboundDeps } from "./support/inbound-mail";

const tmp = useTempStore("sweep");

const DAY = 24 * 3600_000;
const file = (key: string) => path.join(tmp.dir, key);
async function age(key: string, ms: number) {
  const t = new Date(Date.now() - ms);
  await utimes(file(key), t, t);
}

describe("orphaned stored files", () => {
  it("removes day-old files no row names, and nothing else", async () => {
    const tag = randomUUID().slice(0, 8);
    const from = `sweep-${tag}@cliente.test`;
    const raw = crlf(
      [
        `From: ${from}`,
        `To: ${SUPPORT}`,
        "Subject: Con adjunto",
        `Message-ID: <sweep-${tag}@cliente.test>`,
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="b"',
        "",
        "--b",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Adjunto el informe.",
        "--b",
        'Content-Type: application/pdf; name="informe.pdf"',
        "Content-Transfer-Encoding: base64",
        "",
        randomBytes(3000).toString("base64"),
        "--b--",
        "",
      ].join("\n"),
    );
    const { deps } = inboundDeps(tmp.store);
    const inboundId = await storeInboundMail(deps, Buffer.from(raw), { from, to: [SUPPORT], source: "smtp" });
    expect(await processInboundMail(deps, inboundId)).toMatchObject({ status: "PROCESSED" });
    const kept = [
      (await db.inboundMail.findUniqueOrThrow({ where: { id: inboundId } })).storageKey,
      ...(await db.attachment.findMany({ where: { message: { inbound: { id: inboundId } } } })).map((a) => a.storageKey),
    ];
    expect(kept).toHaveLength(2);

    const orphanRaw = (await tmp.store.put("raw", Buffer.from("a mail whose row was never written"))).key;
    const orphanAtt = (await tmp.store.put("att", Buffer.from("an attachment of a run that crashed"))).key;
    const youngOrphan = (await tmp.store.put("att", Buffer.from("still being processed"))).key;
    const kbImage = (await tmp.store.put("kb-images", Buffer.from("an image uploaded in the editor"))).key;
    const pastWindow = (await tmp.store.put("att", Buffer.from("older than the sweep looks back"))).key;
    for (const key of [...kept, orphanRaw, orphanAtt, kbImage]) await age(key, 3 * DAY);
    await age(youngOrphan, DAY / 2);
    await age(pastWindow, 10 * DAY);

    // File ages are the file system's: the sweep runs on the real clock.
    const result = await sweepOrphanBlobs({ db, clock: systemClock, store: tmp.store }, { batchSize: 2 });
    expect(result.removed.sort()).toEqual([orphanAtt, orphanRaw].sort());
    // The two kept and the two orphans; the young one and the one past the week's window are not looked at.
    expect(result.checked).toBe(4);
    for (const key of [...kept, youngOrphan, kbImage, pastWindow]) expect(existsSync(file(key)), key).toBe(true);
    for (const key of [orphanRaw, orphanAtt]) expect(existsSync(file(key)), key).toBe(false);

    // The mail and its attachment still read back whole.
    expect((await tmp.store.readBuffer(kept[0]!)).toString("latin1")).toBe(raw);
    // A second sweep finds nothing more.
    expect((await sweepOrphanBlobs({ db, clock: systemClock, store: tmp.store })).removed).toEqual([]);
  });

  it("an empty or missing tmp.store directory is nothing to sweep", async () => {
    const empty = localBlobStore(path.join(tmp.dir, "never-written"));
    expect(await sweepOrphanBlobs({ db, clock: systemClock, store: empty })).toEqual({ checked: 0, removed: [], abandonedUploads: [] });
  });
});
