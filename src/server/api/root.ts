import { accountRouter } from "./routers/account";
import { adminRouter } from "./routers/admin";
import { settingsRouter } from "./routers/settings";
import { cannedReplyRouter } from "./routers/canned-reply";
import { catalogRouter } from "./routers/catalog";
import { evaluationRouter } from "./routers/evaluation";
import { invitationRouter } from "./routers/invitation";
import { kbRouter } from "./routers/kb";
import { notificationRouter } from "./routers/notification";
import { profileRouter } from "./routers/profile";
import { ticketRouter } from "./routers/ticket";
import { userRouter } from "./routers/user";
import { slaRouter } from "./routers/sla";
import { teamRouter } from "./routers/team";
import { portalRouter } from "./routers/portal";
import { router } from "./trpc";

export const appRouter = router({ ticket: ticketRouter, user: userRouter, admin: adminRouter, invitation: invitationRouter, kb: kbRouter, sla: slaRouter, cannedReply: cannedReplyRouter, notification: notificationRouter, evaluation: evaluationRouter, team: teamRouter, account: accountRouter, settings: settingsRouter, portal: portalRouter, profile: profileRouter , catalog: catalogRouter });
export type AppRouter = typeof appRouter;
