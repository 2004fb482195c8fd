import type { Db } from "@burnrate/db";
import type { SlackSender } from "@burnrate/slack";
import type { Logger } from "pino";

export interface PolicyDeps {
  db: Db;
  slack: SlackSender | null;
  publicUrl: string;
  now: () => number;
  log: Logger;
}
