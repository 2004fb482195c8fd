import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** A mail as the sink received it. */
export interface SunkMail {
  to: string[];
  subject: string;
  messageId: string;
  body: string;
  at: number;
}

/**
 * A real SMTP server (the `smtp-server` package) on a free local port that keeps every mail it is given:
 * the worker's nodemailer speaks real SMTP to it. No TLS, no auth: it listens on 127.0.0.1 only.
 */
export async function startSmtpSink(): Promise<{
  url: string;
  mails: SunkMail[];
  /** The next `count` mails are refused with this SMTP code (e.g. 421, "try again later") and not kept. */
  refuseNext(count: number, code?: number): void;
  /** How many mails were refused so far. */
  refused: () => number;
  stop(): Promise<void>;
}> {
  const mails: SunkMail[] = [];
  let refuse = { count: 0, code: 421 };
  let refused = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (refuse.count > 0) {
          refuse.count--;
          refused++;
          const err = Object.assign(new Error("Service not available, try again later"), {
            responseCode: refuse.code,
          });
          return done(err);
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        const [head = "", ...rest] = raw.split(/\r?\n\r?\n/);
        const header = (name: string) =>
          new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, "im")
            .exec(head)?.[1]
            ?.replace(/\r?\n[ \t]/g, " ") ?? "";
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: header("Subject"),
          messageId: header("Message-ID"),
          body: rest.join("\n\n"),
          at: Date.now(),
        });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    refuseNext: (count, code = 421) => void (refuse = { count, code }),
    refused: () => refused,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
