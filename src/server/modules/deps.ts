import { publicUrl, type Env } from "~/env";
import type { Clock } from "../clock";
import type { Db } from "../db/client";
import type { EventBus } from "./events";

/** What every use-case may need, passed in so tests choose real or controlled parts. */
export interface Deps {
  db: Db;
  clock: Clock;
  bus: EventBus;
  mail: MailSettings;
}

export interface MailSettings {
  fromAddress: string;
  team: string;
  publicUrl: string;
  /** Support addresses; the first one carries each ticket's reply token (`soporte+<token>@…`). */
  supportAddresses: string[];
  /** Hours a resolved ticket can still be reopened by a reply (said in the "resolved" mail). */
  reopenWindowHours: number;
}

export function mailSettings(env: Env): MailSettings {
  return {
    fromAddress: env.MAIL_FROM_ADDRESS,
    team: env.TEAM_NAME,
    publicUrl: publicUrl(env),
    supportAddresses: env.SUPPORT_ADDRESSES,
    reopenWindowHours: env.REOPEN_WINDOW_HOURS,
  };
}
