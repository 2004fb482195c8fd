import type { Db } from "@burnrate/db";
import type { SlackSender } from "@burnrate/slack";
import type { Logger } from "pino";
import type { Enqueue } from "../../catalog";

export interface PolicyDeps {
  db: Db;
  slack: SlackSender | null;
  publicUrl: string;
  now: () => number;
  log: Logger;
  /** Hands policy.enacted webhook events to their delivery job (without it, the receiver sweep does). */
  enqueue?: Enqueue;
}
