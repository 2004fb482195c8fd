import { UnauthorizedError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { SLACK_MAX_SKEW_MS, verifySlackSignature } from "@burnrate/slack";

/** What Slack sent: the raw body and its signature headers. */
export interface SlackRequest {
  db: Db;
  signingSecret: string | undefined;
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
}

/**
 * Accepts a request from Slack (an interaction or a slash command) only when it is signed with the signing
 * secret, fresh, and seen for the first time (a replay is refused, also after a Redis restart: the signatures
 * seen are kept in Postgres). Throws a 401 that says why.
 */
export async function acceptSlackRequest(req: SlackRequest, feature: string): Promise<void> {
  if (!req.signingSecret)
    throw new UnauthorizedError(
      `Slack ${feature} is not configured: set SLACK_SIGNING_SECRET to accept signed requests`,
    );
  const v = verifySlackSignature({
    signingSecret: req.signingSecret,
    timestamp: req.timestamp,
    signature: req.signature,
    rawBody: req.rawBody,
    nowMs: req.nowMs,
  });
  if (!v.ok) throw new UnauthorizedError(`Slack signature refused: ${v.reason}`);
  if (!(await firstSighting(req.db, req.signature!, req.nowMs)))
    throw new UnauthorizedError("Slack signature refused: this request was already received");
}

/**
 * Records a verified request's signature; false when it was seen before (a replay). Rows outlive Slack's
 * timestamp window (a request older than that is refused as stale anyway) and are then deleted.
 */
export async function firstSighting(db: Db, signature: string, nowMs: number): Promise<boolean> {
  const expiresAt = new Date(nowMs + 2 * SLACK_MAX_SKEW_MS);
  const inserted = await db.$executeRaw`
    INSERT INTO slack_seen_requests (signature, expires_at) VALUES (${signature}, ${expiresAt})
    ON CONFLICT (signature) DO NOTHING`;
  await db.slackSeenRequest.deleteMany({ where: { expiresAt: { lt: new Date(nowMs) } } });
  return inserted === 1;
}
