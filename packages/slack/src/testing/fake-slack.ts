import { createServer, type IncomingMessage, type Server } from "node:http";
import { blockKitProblems } from "./block-kit-rules";

/** A message as the fake Slack stored it. */
export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[] | null;
  threadTs: string | null;
  metadata: { event_type?: string; event_payload?: Record<string, unknown> } | null;
  updates: number;
  /** Who wrote it: a person's user id, or none for the bot's own messages. */
  user?: string;
}
export interface FakeCall {
  method: string;
  body: Record<string, unknown>;
  at: number;
}
type Failure = { error: string; status?: number; retryAfterSec?: number; times: number };

/** Random faults, as fractions of calls (0–1). Each call draws once: 500, else ratelimited, else served. */
export interface FakeSlackFaults {
  /** Calls answered HTTP 500 (nothing stored). */
  http500?: number;
  /** Calls answered 429 `ratelimited` with Retry-After (nothing stored). */
  ratelimited?: number;
  retryAfterSec?: number;
  /** Calls whose message is stored (posted or updated) but whose answer is lost: the socket is destroyed. */
  loseAnswer?: number;
  /** The methods the faults apply to (default: every Web API method but auth.test). */
  methods?: string[];
  /** The methods whose answers may be lost (default: chat.postMessage and chat.update). */
  loseMethods?: string[];
  /** Seed of the fault draws (default 1), so that a run can be repeated. */
  seed?: number;
}

/**
 * A local server that speaks the parts of Slack's Web API Burnrate uses (chat.postMessage, chat.update,
 * conversations.history and .replies with message metadata, auth.test, and for incident channels
 * conversations.create, .list and .invite, pins.add, users.lookupByEmail and users.info). Tests point SLACK_API_URL at it. It
 * can be told to fail the next calls of a method (ratelimited with Retry-After, channel_not_found, …), to
 * inject random faults (HTTP 500, ratelimited, answers lost after the message was stored), and it can run a
 * hook after it accepted a post (to kill a worker between Slack's answer and the database write).
 */
export class FakeSlack {
  readonly messages: FakeMessage[] = [];
  readonly calls: FakeCall[] = [];
  readonly channels = new Set<string>();
  /** Emails users.lookupByEmail does not know (users_not_found); every other email is a user. */
  readonly unknownEmails = new Set<string>();
  /** Channels made with conversations.create (or by a person, with `takeChannelName`). */
  readonly created: { id: string; name: string; creator: string; created: number }[] = [];
  /** Members of each created channel (conversations.invite). */
  readonly members = new Map<string, Set<string>>();
  /** Pinned message ts of each channel (pins.add). */
  readonly pins = new Map<string, Set<string>>();
  /** The bot's own user id (auth.test's user_id): the creator of the channels it makes. */
  readonly botUser = "UBURNRATEBOT";
  private emailsById = new Map<string, string>();
  private failures = new Map<string, Failure[]>();
  private seq = 0;
  private server: Server | null = null;
  onPosted: ((m: FakeMessage) => void) | null = null;
  url = "";
  /** How many of each injected fault were served. */
  readonly faultCounts = { http500: 0, ratelimited: 0, lostAnswers: 0 };
  private faults: FakeSlackFaults = {};
  private rand: () => number = mulberry32(1);
  private lose = new Map<string, number>();
  private loseIn = new Map<string, number>();

  /** Channels that do not exist answer channel_not_found; by default every channel exists. */
  constructor(private opts: { knownChannels?: string[] } = {}) {
    for (const c of opts.knownChannels ?? []) this.channels.add(c);
  }

  failNext(method: string, f: Omit<Failure, "times"> & { times?: number }): void {
    const list = this.failures.get(method) ?? [];
    list.push({ ...f, times: f.times ?? 1 });
    this.failures.set(method, list);
  }

  /** Random faults from now on (an empty object turns them off). */
  setFaults(f: FakeSlackFaults): void {
    this.faults = f;
    this.rand = mulberry32(f.seed ?? 1);
  }

  /** The next `times` calls of `method` store their message and then lose the answer (socket destroyed). */
  loseNextAnswers(method: string, times = 1): void {
    this.lose.set(method, (this.lose.get(method) ?? 0) + times);
  }

  /** The next `times` posts to `channel` store their message and then lose the answer. */
  loseNextAnswersIn(channel: string, times = 1): void {
    this.loseIn.set(channel, (this.loseIn.get(channel) ?? 0) + times);
  }

  /** A channel someone else made already (its name is then taken for conversations.create). */
  takeChannelName(name: string, creator = "UHUMAN"): string {
    const id = `C${String(this.created.length + 1).padStart(8, "0")}`;
    this.created.push({ id, name, creator, created: Math.floor(Date.now() / 1000) });
    this.members.set(id, new Set([creator]));
    return id;
  }

  /** A message a person wrote in a channel (as Slack would store it); returns its ts. */
  personPosts(channel: string, text: string, user: string, threadTs: string | null = null): string {
    const ts = `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, "0")}`;
    this.messages.push({ channel, ts, text, blocks: null, threadTs, metadata: null, updates: 0, user });
    return ts;
  }

  /** The Slack user id of an email, as users.lookupByEmail answers it (users.info knows it afterwards). */
  userOf(email: string): string {
    const id = fakeUserId(email);
    this.emailsById.set(id, email.toLowerCase());
    return id;
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

  private drawLoss(method: string, channel: string): boolean {
    const inChannel = method === "chat.postMessage" ? (this.loseIn.get(channel) ?? 0) : 0;
    if (inChannel > 0) {
      this.loseIn.set(channel, inChannel - 1);
      return true;
    }
    const n = this.lose.get(method) ?? 0;
    if (n > 0) {
      this.lose.set(method, n - 1);
      return true;
    }
    const f = this.faults;
    if (!f.loseAnswer) return false;
    if (!(f.loseMethods ?? ["chat.postMessage", "chat.update"]).includes(method)) return false;
    return this.rand() < f.loseAnswer;
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
    const f0 = this.faults;
    if (method !== "auth.test" && (f0.methods ? f0.methods.includes(method) : true)) {
      const r = this.rand();
      if (r < (f0.http500 ?? 0)) {
        this.faultCounts.http500++;
        res.writeHead(500, { "content-type": "text/plain" });
        return void res.end("Internal Server Error");
      }
      if (r < (f0.http500 ?? 0) + (f0.ratelimited ?? 0)) {
        this.faultCounts.ratelimited++;
        return send(
          429,
          { ok: false, error: "ratelimited" },
          { "retry-after": String(f0.retryAfterSec ?? 1) },
        );
      }
    }
    // Decided before the call is served: the message is stored, then the answer is lost.
    const loseAnswer = this.drawLoss(method, String(body.channel ?? ""));
    const answer = (status: number, b: unknown) => {
      if (!loseAnswer) return send(status, b);
      this.faultCounts.lostAnswers++;
      req.socket.destroy();
    };
    const channel = String(body.channel ?? "");
    const knownChannel = this.opts.knownChannels ? this.channels.has(channel) : true;
    switch (method) {
      case "auth.test":
        return send(200, { ok: true, team: "fake", user: "burnrate", user_id: this.botUser, bot_id: "B1" });
      case "conversations.create": {
        const name = String(body.name ?? "");
        if (!/^[a-z0-9_-]{1,80}$/.test(name)) return send(200, { ok: false, error: "invalid_name_specials" });
        if (this.created.some((c) => c.name === name)) return send(200, { ok: false, error: "name_taken" });
        const id = `C${String(this.created.length + 1).padStart(8, "0")}`;
        const c = { id, name, creator: this.botUser, created: Math.floor(Date.now() / 1000) };
        this.created.push(c);
        this.members.set(id, new Set([this.botUser]));
        return answer(200, { ok: true, channel: { id, name, creator: c.creator, created: c.created } });
      }
      case "conversations.list": {
        const all = this.created.map((c) => ({
          id: c.id,
          name: c.name,
          creator: c.creator,
          created: c.created,
        }));
        const limit = Math.min(1000, Math.max(1, Number(body.limit ?? 100) || 100));
        const from = body.cursor
          ? Number(Buffer.from(String(body.cursor), "base64").toString("utf8")) || 0
          : 0;
        const more = from + limit < all.length;
        return send(200, {
          ok: true,
          channels: all.slice(from, from + limit),
          response_metadata: {
            next_cursor: more ? Buffer.from(String(from + limit)).toString("base64") : "",
          },
        });
      }
      case "conversations.invite": {
        const members = this.members.get(channel);
        if (!members) return send(200, { ok: false, error: "channel_not_found" });
        const users = String(body.users ?? "")
          .split(",")
          .filter(Boolean);
        if (users.length === 0) return send(200, { ok: false, error: "no_user" });
        const fresh = users.filter((u) => !members.has(u));
        if (fresh.length === 0) return send(200, { ok: false, error: "already_in_channel" });
        for (const u of fresh) members.add(u);
        return answer(200, { ok: true, channel: { id: channel } });
      }
      case "pins.add": {
        const m = this.messages.find((x) => x.channel === channel && x.ts === String(body.timestamp));
        if (!m) return send(200, { ok: false, error: "message_not_found" });
        const pins = this.pins.get(channel) ?? new Set<string>();
        this.pins.set(channel, pins);
        if (pins.has(m.ts)) return send(200, { ok: false, error: "already_pinned" });
        pins.add(m.ts);
        return answer(200, { ok: true });
      }
      case "users.info": {
        const email = this.emailsById.get(String(body.user ?? ""));
        if (!email) return send(200, { ok: false, error: "user_not_found" });
        return send(200, { ok: true, user: { id: String(body.user), profile: { email } } });
      }
      case "chat.postMessage": {
        if (!knownChannel) return send(200, { ok: false, error: "channel_not_found" });
        if (invalid(body)) return send(200, { ok: false, error: "invalid_blocks", errors: invalid(body) });
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
        answer(200, { ok: true, channel, ts, message: { text: m.text } });
        this.onPosted?.(m);
        return;
      }
      case "chat.update": {
        const m = this.messages.find((x) => x.channel === channel && x.ts === String(body.ts));
        if (!m) return send(200, { ok: false, error: "message_not_found" });
        if (invalid(body)) return send(200, { ok: false, error: "invalid_blocks", errors: invalid(body) });
        m.text = String(body.text ?? m.text);
        m.blocks = (parseJson(body.blocks) as unknown[] | null) ?? m.blocks;
        m.updates++;
        return answer(200, { ok: true, channel, ts: m.ts });
      }
      case "conversations.history": {
        if (!knownChannel) return send(200, { ok: false, error: "channel_not_found" });
        // Newest first; oldest/latest are exclusive unless `inclusive`; metadata only with include_all_metadata.
        const msgs = this.messages
          .filter((m) => m.channel === channel && m.threadTs === null && inRange(m.ts, body))
          .reverse();
        return send(200, {
          ok: true,
          ...paginate(
            msgs.map((m) => shown(m, body)),
            body,
          ),
        });
      }
      case "conversations.replies": {
        if (!knownChannel) return send(200, { ok: false, error: "channel_not_found" });
        // `ts` names the thread's parent or any message in the thread (Slack answers with the whole thread).
        const named = this.messages.find((m) => m.channel === channel && m.ts === String(body.ts ?? ""));
        const parentTs = named?.threadTs ?? named?.ts ?? "";
        const parent = this.messages.find((m) => m.channel === channel && m.ts === parentTs);
        if (!parent) return send(200, { ok: false, error: "thread_not_found" });
        // The parent first, then its replies oldest first.
        const msgs = [
          parent,
          ...this.messages.filter(
            (m) => m.channel === channel && m.threadTs === parentTs && inRange(m.ts, body),
          ),
        ];
        return send(200, {
          ok: true,
          ...paginate(
            msgs.map((m) => ({ ...shown(m, body), thread_ts: parentTs })),
            body,
          ),
        });
      }
      case "users.lookupByEmail": {
        // Every email is a Slack user (U + its hash) unless the test named it in `unknownEmails`.
        const email = String(body.email ?? "").toLowerCase();
        if (this.unknownEmails.has(email)) return send(200, { ok: false, error: "users_not_found" });
        return send(200, { ok: true, user: { id: this.userOf(email), profile: { email } } });
      }
      case "conversations.open": {
        const users = String(body.users ?? "");
        if (!users || users.includes(",")) return send(200, { ok: false, error: "invalid_users" });
        // A DM's channel id is D + the user id's tail; it exists from then on.
        return send(200, { ok: true, channel: { id: `D${users.slice(1)}` } });
      }
      default:
        return send(200, { ok: false, error: "unknown_method" });
    }
  }
}

/** The Slack user id the fake gives an email (stable, upper-case, like Slack's). */
export function fakeUserId(email: string): string {
  let h = 2166136261;
  for (const c of email.toLowerCase()) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return `U${h.toString(36).toUpperCase()}`;
}

/** What Slack would refuse in a message's blocks (Block Kit's limits), or null when they are valid. */
function invalid(body: Record<string, unknown>): string[] | null {
  const blocks = parseJson(body.blocks) as unknown[] | null;
  if (!blocks) return null;
  const problems = blockKitProblems({ blocks }, { escaping: false });
  return problems.length ? problems : null;
}

/** The message as Slack's history methods show it. */
function shown(m: FakeMessage, body: Record<string, unknown>) {
  const withMetadata = body.include_all_metadata === true || body.include_all_metadata === "true";
  return {
    type: "message",
    ts: m.ts,
    text: m.text,
    ...(m.user ? { user: m.user } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
  };
}

function inRange(ts: string, body: Record<string, unknown>): boolean {
  const t = Number(ts);
  const inclusive = body.inclusive === true || body.inclusive === "true";
  const oldest = body.oldest !== undefined ? Number(body.oldest) : null;
  const latest = body.latest !== undefined ? Number(body.latest) : null;
  if (oldest !== null && (inclusive ? t < oldest : t <= oldest)) return false;
  if (latest !== null && (inclusive ? t > latest : t >= latest)) return false;
  return true;
}

/** Cursor pagination as Slack does it: `limit` (default 100, at most 1000) and an opaque next_cursor. */
function paginate<T>(items: T[], body: Record<string, unknown>) {
  const limit = Math.min(1000, Math.max(1, Number(body.limit ?? 100) || 100));
  const from = body.cursor ? Number(Buffer.from(String(body.cursor), "base64").toString("utf8")) || 0 : 0;
  const page = items.slice(from, from + limit);
  const more = from + limit < items.length;
  return {
    messages: page,
    has_more: more,
    response_metadata: { next_cursor: more ? Buffer.from(String(from + limit)).toString("base64") : "" },
  };
}

/** A small seeded PRNG (mulberry32), so that a run's faults can be repeated. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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

export { blockKitProblems } from "./block-kit-rules";
