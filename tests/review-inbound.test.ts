import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { processInboundMail, type InboundDeps } from "~/server/modules/mail/process/process-inbound-mail";
import { MAX_INBOUND_ATTEMPTS, reconcileInbound } from "~/server/modules/mail/intake/reconcile-inbound";
import { storeInboundMail } from "~/server/modules/mail/intake/store-inbound-mail";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";

function inboundDeps(newTicketsPerHour = 1) {
  const { deps, clock } = testDeps();
  return {
    ...deps,
    clock,
    store: localBlobStore(mkdtempSync(path.join(os.tmpdir(), "vt-review-"))),
    mailbox: { supportAddresses: ["soporte@ventanilla.test"] },
    limits: { maxAttachmentBytes: 20 * 1024 * 1024, newTicketsPerHour },
  } satisfies InboundDeps;
}

function rawMail(from: string, subject: string, id: string) {
  return Buffer.from(
    `From: ${from}\r\nTo: soporte@ventanilla.test\r\nSubject: ${subject}\r\nMessage-ID: <${id}@cliente.test>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHola, necesito ayuda.\r\n`,
  );
}

describe("admin review of incoming mail", () => {
  it("a held mail is released by an admin and then opens its ticket; others may not touch it", async () => {
    const deps = inboundDeps(1);
    const sender = `flood-${Date.now()}@cliente.test`;
    const first = await storeInboundMail(deps, rawMail(sender, "Uno", `a-${Date.now()}`), { from: sender, to: ["soporte@ventanilla.test"], source: "smtp" });
    const second = await storeInboundMail(deps, rawMail(sender, "Dos", `b-${Date.now()}`), { from: sender, to: ["soporte@ventanilla.test"], source: "smtp" });
    expect((await processInboundMail(deps, first)).status).toBe("PROCESSED");
    expect(await processInboundMail(deps, second)).toMatchObject({ status: "HELD" });

    const enqueued: Array<{ ids: string[]; release: boolean }> = [];
    const services = { enqueueInbound: async (ids: string[], o?: { release?: boolean }) => void enqueued.push({ ids, release: !!o?.release }) };
    const admin = await callerFor(deps, (await makeUser("ADMIN")).id, { queues: services });
    const agent = await callerFor(deps, (await makeUser("AGENT")).id, { queues: services });
    await expect(agent.admin.retryInbound({ id: second })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(agent.admin.inbound({})).rejects.toMatchObject({ code: "FORBIDDEN" });

    const held = await admin.admin.inbound({ status: "HELD" });
    expect(held.map((m) => m.id)).toContain(second);
    expect(await admin.admin.retryInbound({ id: second })).toEqual({ released: true });
    expect(enqueued).toEqual([{ ids: [second], release: true }]);
    // A second click finds nothing to release and changes nothing.
    const again = await admin.admin.retryInbound({ id: second }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(TRPCError);
    expect((again as TRPCError).message).toBe("Ese correo no está pendiente de revisión.");

    const outcome = await processInboundMail(deps, second, { release: true });
    expect(outcome).toMatchObject({ status: "PROCESSED", created: true });
    const user = await db.user.findUniqueOrThrow({ where: { email: sender } });
    expect(await db.ticket.count({ where: { requesterId: user.id } })).toBe(2);
  });

  it("a mail that keeps failing is given up after 10 attempts and waits for an admin, not retried forever", async () => {
    const deps = inboundDeps();
    const id = await storeInboundMail(deps, rawMail("poison@cliente.test", "Veneno", `p-${Date.now()}`), { from: "poison@cliente.test", to: ["soporte@ventanilla.test"], source: "smtp" });
    await db.inboundMail.update({ where: { id }, data: { attempts: MAX_INBOUND_ATTEMPTS } });
    const requeued: string[] = [];
    deps.clock.advance(60_000);
    await reconcileInbound({ ...deps, queues: { ...deps.queues, enqueueInbound: async (ids) => void requeued.push(...ids) } });
    expect(requeued).not.toContain(id);
    expect(await db.inboundMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "UNPROCESSABLE", reason: "gave up after 10 attempts" });
    const admin = await callerFor(deps, (await makeUser("ADMIN")).id, { queues: { enqueueInbound: async () => {} } });
    await admin.admin.retryInbound({ id });
    expect(await db.inboundMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "RECEIVED", attempts: 0 });
  });

  it("an unprocessable mail can be retried; a processed one cannot", async () => {
    const deps = inboundDeps();
    const id = await storeInboundMail(deps, Buffer.from("this is not a mail at all"), { from: "x@cliente.test", to: ["soporte@ventanilla.test"], source: "smtp" });
    const outcome = await processInboundMail(deps, id);
    expect(outcome.status).toBe("UNPROCESSABLE");
    const row = await db.inboundMail.findUniqueOrThrow({ where: { id } });
    expect(row.reason).toBeTruthy();

    const enqueued: string[][] = [];
    const admin = await callerFor(deps, (await makeUser("ADMIN")).id, { queues: { enqueueInbound: async (ids) => void enqueued.push(ids) } });
    await admin.admin.retryInbound({ id });
    expect(enqueued).toEqual([[id]]);
    expect((await db.inboundMail.findUniqueOrThrow({ where: { id } })).status).toBe("RECEIVED");
  });
});
