import { UnrecoverableError } from "bullmq";
import nodemailer from "nodemailer";

/** One email: `messageId` is the delivery's idempotency key, so a receiver can drop a resent copy. */
export interface Email {
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative to the text part. */
  html?: string;
  messageId: string;
}

export interface Mailer {
  send(mail: Email): Promise<{ messageId: string }>;
}

/** SMTP reply codes from 500 on are a refusal for good (a bad address, a policy): retrying cannot help. */
const PERMANENT_SMTP_CODE = 500;

/**
 * A mailer over nodemailer's SMTP transport (`smtp://user:pass@host:port`, or `smtps://`). A permanent SMTP
 * refusal is an UnrecoverableError; a connection failure or a 4xx is thrown as it is (retried).
 */
export function createSmtpMailer(opts: { url: string; from: string }): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(opts.url);
  return {
    async send(mail) {
      try {
        const r = await transport.sendMail({
          from: opts.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html ? { html: mail.html } : {}),
          messageId: mail.messageId,
        });
        return { messageId: String(r.messageId ?? mail.messageId) };
      } catch (e) {
        const code = Number((e as { responseCode?: unknown }).responseCode);
        if (code >= PERMANENT_SMTP_CODE) throw new UnrecoverableError(`smtp ${code}`);
        throw e;
      }
    },
    close: () => transport.close(),
  };
}
