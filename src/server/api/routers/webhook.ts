import { z } from "zod";
import {
  createWebhook,
  createWebhookInput,
  deleteWebhook,
  listDeliveries,
  listDeliveriesInput,
  listWebhooks,
  redeliver,
  rotateWebhookSecret,
  updateWebhook,
  updateWebhookInput,
  webhookId,
} from "~/server/modules/webhooks/manage-webhooks";
import * as out from "~/shared/schemas/webhooks";
import { adminProcedure, router } from "../trpc";

/** /admin/webhooks: admins only. The secret leaves the server twice: on create and on rotate. */
export const webhookRouter = router({
  list: adminProcedure.output(out.webhookList).query(({ ctx }) => listWebhooks(ctx.deps)),
  create: adminProcedure.input(createWebhookInput).output(out.webhookWithSecret).mutation(({ ctx, input }) => createWebhook(ctx.deps, ctx.actor.id, input)),
  update: adminProcedure.input(updateWebhookInput).output(out.webhook).mutation(({ ctx, input }) => updateWebhook(ctx.deps, ctx.actor.id, input)),
  rotateSecret: adminProcedure
    .input(z.strictObject({ id: webhookId }))
    .output(out.webhookWithSecret)
    .mutation(({ ctx, input }) => rotateWebhookSecret(ctx.deps, ctx.actor.id, input.id, ctx.deps.clock.now())),
  delete: adminProcedure.input(z.strictObject({ id: webhookId })).mutation(({ ctx, input }) => deleteWebhook(ctx.deps, ctx.actor.id, input.id)),
  deliveries: adminProcedure.input(listDeliveriesInput).output(out.webhookDeliveries).query(({ ctx, input }) => listDeliveries(ctx.deps, input)),
  redeliver: adminProcedure
    .input(z.strictObject({ deliveryId: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => redeliver(ctx.deps, ctx.actor.id, input.deliveryId)),
});
