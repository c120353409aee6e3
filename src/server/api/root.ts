import { adminRouter } from "./routers/admin";
import { ticketRouter } from "./routers/ticket";
import { userRouter } from "./routers/user";
import { router } from "./trpc";

export const appRouter = router({ ticket: ticketRouter, user: userRouter, admin: adminRouter });
export type AppRouter = typeof appRouter;
