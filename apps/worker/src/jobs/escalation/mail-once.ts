import type { Db } from "@burnrate/db";
import { UnrecoverableError } from "bullmq";
import type { Logger } from "pino";
import type { Email, Mailer } from "./mailer";

/** A delivery claimed this long ago and still "sending" was left by a run that stopped: another may claim it. */
export const EMAIL_SENDING_LEASE_MS = 5 * 60_000;

/** A transient refusal (a 421, a lost connection) is tried again by later runs, at most this many times in all. */
export const MAX_EMAIL_ATTEMPTS = 5;

export type MailOnceStatus = "sent" | "retry" | "failed" | "busy";

/**
 * Sends one email at most once per key. The delivery row is written before the SMTP call; a run claims it by
 * turning it from pending to sending in one conditional update (so two runs at once cannot both send; a
 * claim older than EMAIL_SENDING_LEASE_MS, from a run that stopped, may be taken over), a success marks it
 * sent (no later run sends it again), a transient failure puts it back to pending for the next run, and a
 * permanent refusal (5xx) or the last attempt marks it failed. The Message-ID is the key, so a receiver can drop the copy of a crash between the SMTP answer
 * and the row's update.
 */
export async function mailOnce(
  deps: { db: Db; log: Logger },
  mailer: Mailer,
  m: { key: string; kind: string; mail: Email },
): Promise<MailOnceStatus> {
  const { db } = deps;
  const d = await db.emailDelivery.upsert({
    where: { idempotencyKey: m.key },
    create: { idempotencyKey: m.key, kind: m.kind, to: m.mail.to, status: "pending" },
    update: {},
  });
  if (d.status === "sent" || d.status === "failed") return d.status;
  // The lease is about processes, so it is read on the database's own clock (updated_at is written by it).
  const claimed = await db.$executeRaw`
    update email_deliveries set status = 'sending', attempts = attempts + 1, updated_at = now()
     where id = ${d.id}::uuid
       and (status = 'pending'
            or (status = 'sending' and updated_at < now() - ${EMAIL_SENDING_LEASE_MS} * interval '1 millisecond'))`;
  if (claimed !== 1) return "busy";
  const attempt = (await db.emailDelivery.findUniqueOrThrow({ where: { id: d.id } })).attempts;
  try {
    await mailer.send(m.mail);
    await db.emailDelivery.update({
      where: { id: d.id },
      data: { status: "sent", sentAt: new Date(), error: null },
    });
    return "sent";
  } catch (e) {
    const err = (e as Error).message.slice(0, 500);
    const final = e instanceof UnrecoverableError || attempt >= MAX_EMAIL_ATTEMPTS;
    await db.emailDelivery.update({
      where: { id: d.id },
      data: { status: final ? "failed" : "pending", error: err },
    });
    deps.log.warn({ err, kind: m.kind, attempt }, `${m.kind} email ${final ? "failed" : "deferred"}`);
    return final ? "failed" : "retry";
  }
}
