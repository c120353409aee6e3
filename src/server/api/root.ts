import { adminRouter } from "./routers/admin";
import { invitationRouter } from "./routers/invitation";
import { kbRouter } from "./routers/kb";
import { ticketRouter } from "./routers/ticket";
import { userRouter } from "./routers/user";
import { slaRouter } from "./routers/sla";
import { router } from "./trpc";

export const appRouter = router({ ticket: ticketRouter, user: userRouter, admin: adminRouter, invitation: invitationRouter, kb: kbRouter, sla: slaRouter });
export type AppRouter = typeof appRouter;
