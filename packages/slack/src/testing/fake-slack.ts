import { createServer, type IncomingMessage, type Server } from "node:http";

/** A message as the fake Slack stored it. */
export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[] | null;
  threadTs: string | null;
  metadata: { event_type?: string; event_payload?: Record<string, unknown> } | null;
  updates: number;
}
export interface FakeCall {
  method: string;
  body: Record<string, unknown>;
  at: number;
}
type Failure = { error: string; status?: number; retryAfterSec?: number; times: number };

/**
 * A local server that speaks the parts of Slack's Web API Burnrate uses (chat.postMessage, chat.update,
 * conversations.history, auth.test). Tests point SLACK_API_URL at it. It can be told to fail the next calls
 * of a method (ratelimited with Retry-After, channel_not_found, …), and it can run a hook after it accepted a
 * post (to kill a worker between Slack's answer and the database write).
 */
export class FakeSlack {
  readonly messages: FakeMessage[] = [];
  readonly calls: FakeCall[] = [];
  readonly channels = new Set<string>();
  private failures = new Map<string, Failure[]>();
  private seq = 0;
  private server: Server | null = null;
  onPosted: ((m: FakeMessage) => void) | null = null;
  url = "";

  /** Channels that do not exist answer channel_not_found; by default every channel exists. */
  constructor(private opts: { knownChannels?: string[] } = {}) {
    for (const c of opts.knownChannels ?? []) this.channels.add(c);
  }

  failNext(method: string, f: Omit<Failure, "times"> & { times?: number }): void {
    const list = this.failures.get(method) ?? [];
    list.push({ ...f, times: f.times ?? 1 });
    this.failures.set(method, list);
  }

  topLevel(channel?: string): FakeMessage[] {
    return this.messages.filter((m) => m.threadTs === null && (!channel || m.channel === channel));
  }
  replies(ts: string): FakeMessage[] {
    return this.messages.filter((m) => m.threadTs === ts);
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : port}/api/`;
    return this.url;
  }
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: import("node:http").ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/_fake/messages")
      return send(200, { messages: this.messages, calls: this.calls.length });
    const method = url.pathname.replace(/^\/api\//, "");
    const body = parseBody(raw, req.headers["content-type"] ?? "");
    this.calls.push({ method, body, at: Date.now() });
    if (!String(req.headers.authorization ?? "").startsWith("Bearer "))
      return send(200, { ok: false, error: "not_authed" });
    const pending = this.failures.get(method);
    const f = pending?.[0];
    if (f) {
      f.times--;
      if (f.times <= 0) pending!.shift();
      if (f.error === "ratelimited")
        return send(
          f.status ?? 429,
          { ok: false, error: "ratelimited" },
          { "retry-after": String(f.retryAfterSec ?? 1) },
        );
      return send(f.status ?? 200, { ok: false, error: f.error });
    }
    const channel = String(body.channel ?? "");
    const knownChannel = this.opts.knownChannels ? this.channels.has(channel) : true;
    switch (method) {
      case "auth.test":
        return send(200, { ok: true, team: "fake", user: "burnrate", bot_id: "B1" });
      case "chat.postMessage": {
        if (!knownChannel) return send(200, { ok: false, error: "channel_not_found" });
        const ts = `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, "0")}`;
        const m: FakeMessage = {
          channel,
          ts,
          text: String(body.text ?? ""),
          blocks: parseJson(body.blocks) as unknown[] | null,
          threadTs: body.thread_ts ? String(body.thread_ts) : null,
          metadata: parseJson(body.metadata) as FakeMessage["metadata"],
          updates: 0,
        };
        this.messages.push(m);
        send(200, { ok: true, channel, ts, message: { text: m.text } });
        this.onPosted?.(m);
        return;
      }
      case "chat.update": {
        const m = this.messages.find((x) => x.channel === channel && x.ts === String(body.ts));
        if (!m) return send(200, { ok: false, error: "message_not_found" });
        m.text = String(body.text ?? m.text);
        m.blocks = (parseJson(body.blocks) as unknown[] | null) ?? m.blocks;
        m.updates++;
        return send(200, { ok: true, channel, ts: m.ts });
      }
      case "conversations.history": {
        if (!knownChannel) return send(200, { ok: false, error: "channel_not_found" });
        const oldest = Number(body.oldest ?? 0);
        const msgs = this.messages
          .filter((m) => m.channel === channel && m.threadTs === null && Number(m.ts) >= oldest)
          .map((m) => ({
            ts: m.ts,
            text: m.text,
            thread_ts: m.threadTs ?? undefined,
            metadata: m.metadata ?? undefined,
          }))
          .reverse();
        return send(200, { ok: true, messages: msgs, has_more: false });
      }
      case "conversations.replies": {
        if (!knownChannel) return send(200, { ok: false, error: "channel_not_found" });
        const parent = String(body.ts ?? "");
        const oldest = Number(body.oldest ?? 0);
        const msgs = this.messages
          .filter(
            (m) =>
              m.channel === channel && (m.ts === parent || (m.threadTs === parent && Number(m.ts) >= oldest)),
          )
          .map((m) => ({ ts: m.ts, text: m.text, thread_ts: parent, metadata: m.metadata ?? undefined }));
        return send(200, { ok: true, messages: msgs, has_more: false });
      }
      default:
        return send(200, { ok: false, error: "unknown_method" });
    }
  }
}

function parseBody(raw: string, type: string): Record<string, unknown> {
  if (type.includes("application/json")) return (parseJson(raw) as Record<string, unknown>) ?? {};
  return Object.fromEntries(new URLSearchParams(raw));
}
function parseJson(v: unknown): unknown {
  if (typeof v !== "string") return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return null;
  }
}
