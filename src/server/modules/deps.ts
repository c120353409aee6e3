import type { Clock } from "../clock";
import type { Db } from "../db/client";
import type { EventBus } from "./events";

/** What every use-case may need, passed in so tests choose real or controlled parts. */
export interface Deps {
  db: Db;
  clock: Clock;
  bus: EventBus;
  mail: { fromAddress: string; team: string; publicUrl: string };
}
