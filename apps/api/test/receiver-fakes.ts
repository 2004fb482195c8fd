import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  json: any;
}

/** How the fake answers one request: a status, after an optional delay (a delay past the timeout = a timeout). */
export type Answer = { status: number; delayMs?: number };

/**
 * A local HTTP server standing in for PagerDuty's Events API, Opsgenie's Alert API or a webhook receiver: it
 * records every request and answers what `answer` says (202 by default).
 */
export class FakeReceiver {
  requests: ReceivedRequest[] = [];
  answer: (req: ReceivedRequest, n: number) => Answer = () => ({ status: 202 });
  /** Called after each answer was sent (e.g. to kill the worker right then). */
  onAnswered: (req: ReceivedRequest) => void = () => undefined;
  private server: Server | null = null;
  url = "";

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        let json: unknown = null;
        try {
          json = JSON.parse(body);
        } catch {
          json = null;
        }
        const r: ReceivedRequest = {
          method: req.method ?? "",
          path: req.url ?? "",
          headers: req.headers,
          body,
          json,
        };
        this.requests.push(r);
        const a = this.answer(r, this.requests.length);
        const reply = () => {
          if (res.destroyed) return;
          res.writeHead(a.status, { "content-type": "application/json" });
          res.end(JSON.stringify(a.status < 300 ? { status: "success" } : { status: "error" }), () =>
            this.onAnswered(r),
          );
        };
        if (a.delayMs) setTimeout(reply, a.delayMs);
        else reply();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * PagerDuty's deduplication, as its Events API documents it: a trigger with the dedup_key of an open incident
 * adds nothing, a resolve of a resolved or unknown one changes nothing. Returns, per dedup_key, the incidents
 * opened and resolved.
 */
export function pagerdutyIncidents(
  requests: ReceivedRequest[],
): Map<string, { triggered: number; resolved: number }> {
  const open = new Set<string>();
  const out = new Map<string, { triggered: number; resolved: number }>();
  for (const r of requests) {
    const key = r.json?.dedup_key as string;
    const e = out.get(key) ?? { triggered: 0, resolved: 0 };
    out.set(key, e);
    if (r.json?.event_action === "trigger" && !open.has(key)) {
      open.add(key);
      e.triggered++;
    }
    if (r.json?.event_action === "resolve" && open.has(key)) {
      open.delete(key);
      e.resolved++;
    }
  }
  return out;
}

/** An Opsgenie call as `<alias>:<type>`: a create carries the alias in its body, an ack or a close in its path. */
export function opsgenieCallKey(r: ReceivedRequest): string | null {
  const m = /^\/v2\/alerts(?:\/([^/?]+)\/(acknowledge|close))?(?:\?|$)/.exec(r.path);
  if (!m) return null;
  if (!m[1]) return r.json?.alias ? `${r.json.alias}:alert.firing` : null;
  return `${decodeURIComponent(m[1])}:${m[2] === "close" ? "alert.resolved" : "alert.acknowledged"}`;
}
