import type { Db } from "@burnrate/db";
import type { SlackSender } from "@burnrate/slack";
import type { Logger } from "pino";
import type { Enqueue } from "../../catalog";
import type { Mailer } from "./mailer";

export interface EscalationDeps {
  db: Db;
  slack: SlackSender | null;
  mailer: Mailer | null;
  enqueue: Enqueue;
  publicUrl: string;
  now: () => number;
  log: Logger;
  /** Tries per notification within one job (default 10); the job itself is retried by the queue after that. */
  tries?: number;
  retryBaseMs?: number;
}
