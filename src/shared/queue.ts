// The agents' queue vocabulary, shared by the server (modules/tickets/queue/) and the /agent page.

/** Views, in the order the queue shows them; "unassigned" is where a new ticket lands; "team": the agent's teams' tickets. */
export const QUEUE_VIEWS = ["unassigned", "mine", "team", "open", "waiting", "atRisk", "overdue", "all"] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

/** "oldest" first is the default: tickets are answered in the order they arrived (seed 004). */
export const QUEUE_SORTS = ["oldest", "newest", "slaDue", "lastCustomer"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export const QUEUE_PAGE_MIN = 25;
export const QUEUE_PAGE_MAX = 50;
/** "Todos" is counted up to here and shown as "1000+" beyond: an exact count would read every ticket. */
export const QUEUE_ALL_COUNT_CAP = 1000;
/** Tickets one bulk action may change. */
export const QUEUE_BULK_MAX = 50;
