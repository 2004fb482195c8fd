import type { Db } from "@burnrate/db";
import type { SlackSender } from "@burnrate/slack";
import type { Logger } from "pino";

export interface DispatchDeps {
  db: Db;
  slack: SlackSender | null;
  publicUrl: string;
  now: () => number;
  log: Logger;
  /** Tries per event within one job (default 10); the job itself is retried by the queue after that. */
  tries?: number;
  /** First pause between tries (doubling, at most 2 s); default 250 ms. */
  retryBaseMs?: number;
}
