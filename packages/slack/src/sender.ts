import { ErrorCode, LogLevel, WebClient, type WebAPICallResult } from "@slack/web-api";

/** Slack errors that retrying cannot fix: record them and stop. */
export const PERMANENT_SLACK_ERRORS = new Set([
  "channel_not_found",
  "not_in_channel",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "is_archived",
  "msg_too_long",
  "no_text",
  "missing_scope",
  "invalid_blocks",
]);

/** What Burnrate stores in a message's metadata (`event_payload`), so that it can find the message again. */
export interface MessageKeys {
  /** The delivery's idempotency key (`<alertId>:<eventId>`). */
  key: string;
  /** The alert the message belongs to: the top-level message of an alert is found by this. */
  alert?: string;
}

export interface SlackSender {
  post(args: {
    channel: string;
    text: string;
    blocks?: unknown[];
    threadTs?: string;
    key: string;
    alert?: string;
  }): Promise<{ ts: string; channel: string }>;
  update(args: { channel: string; ts: string; text: string; blocks?: unknown[] }): Promise<void>;
  /**
   * Finds a message we posted earlier by the idempotency key in its metadata (crash recovery). Top-level
   * messages are in conversations.history; thread replies only in conversations.replies of their parent.
   */
  findByKey(args: {
    channel: string;
    key: string;
    oldestMs: number;
    threadTs?: string;
  }): Promise<string | null>;
  /**
   * Finds the top-level message of an alert (by the alert key in its metadata) posted since `oldestMs`: the
   * oldest one if there are several. Returns its ts and the idempotency key it was posted with.
   */
  findAlertMessage(args: {
    channel: string;
    alert: string;
    oldestMs: number;
  }): Promise<{ ts: string; key: string | null } | null>;
  /** The Slack user with this email (users.lookupByEmail, scope users:read.email), or null if none. */
  lookupUserByEmail(email: string): Promise<string | null>;
  /** The direct-message channel with a user (conversations.open, scope im:write): post and look up there. */
  openDm(userId: string): Promise<string>;
  /** Posts a plain test message (settings page "send test message"). */
  test(args: { channel: string; text: string }): Promise<{ ts: string }>;
  /** The bot's own Slack user id (auth.test), to recognise the channels it created. */
  botUserId(): Promise<string>;
  /** conversations.create (scope channels:manage): the new channel's id; throws `name_taken` and the like. */
  createChannel(name: string): Promise<string>;
  /** A channel by its exact name (conversations.list, scope channels:read), with who created it and when. */
  findChannelByName(name: string): Promise<{ id: string; creator: string | null; createdMs: number } | null>;
  /** conversations.invite (scope channels:manage); people already in the channel count as invited. */
  invite(args: { channel: string; users: string[] }): Promise<void>;
  /** pins.add (scope pins:write); a message already pinned counts as pinned. */
  pin(args: { channel: string; ts: string }): Promise<void>;
  /** One message of a channel by its ts (conversations.history, or .replies of `threadTs`), or null. */
  messageAt(args: {
    channel: string;
    ts: string;
    threadTs?: string;
  }): Promise<{ text: string; user: string | null } | null>;
  /** A Slack user's email (users.info, scope users:read.email), or null when it is not shown. */
  userEmail(userId: string): Promise<string | null>;
}

export const METADATA_EVENT_TYPE = "burnrate_alert";

type HistoryMessage = {
  ts?: string;
  thread_ts?: string;
  metadata?: { event_type?: string; event_payload?: { key?: string; alert?: string } };
};
type Page = { messages?: HistoryMessage[]; response_metadata?: { next_cursor?: string } };

/** A channel with more than this many messages since the alert fired is searched no further. */
const MAX_PAGES = 10;
/** Pages of 1000 channels searched for a channel by name. */
const MAX_CHANNEL_PAGES = 20;

/**
 * A small sender over @slack/web-api. The client never retries by itself (a lost answer to a post that Slack
 * stored would otherwise post twice, and a rate limit would stall the whole client): every failure, rate
 * limits included, reaches the caller, which looks the message up by its key before it tries again.
 */
export function createSlackSender(opts: { token: string; apiUrl?: string; timeoutMs?: number }): SlackSender {
  const client = new WebClient(opts.token, {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 15_000,
    // A failed call is the caller's to log (and retry); the client's own warnings would only repeat it.
    logLevel: LogLevel.ERROR,
  });
  /** Pages of conversations.history (or .replies of a thread) since `oldestMs`, newest first, bounded. */
  async function* pages(channel: string, oldestMs: number, threadTs?: string) {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const common = {
        channel,
        oldest: (Math.max(0, oldestMs) / 1000).toFixed(6),
        limit: 200,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      };
      const r = (
        threadTs
          ? await client.conversations.replies({ ...common, ts: threadTs })
          : await client.conversations.history(common)
      ) as Page;
      yield r.messages ?? [];
      cursor = r.response_metadata?.next_cursor || undefined;
      if (!cursor) return;
    }
  }
  const ours = (m: HistoryMessage) => m.metadata?.event_type === METADATA_EVENT_TYPE;
  let botUser: Promise<string> | null = null;
  return {
    async post({ channel, text, blocks, threadTs, key, alert }) {
      const r = (await client.chat.postMessage({
        channel,
        text,
        ...(blocks ? { blocks: blocks as never } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        metadata: { event_type: METADATA_EVENT_TYPE, event_payload: { key, ...(alert ? { alert } : {}) } },
        unfurl_links: false,
      })) as WebAPICallResult & { ts?: string; channel?: string };
      return { ts: String(r.ts), channel: String(r.channel ?? channel) };
    },
    async update({ channel, ts, text, blocks }) {
      await client.chat.update({ channel, ts, text, ...(blocks ? { blocks: blocks as never } : {}) });
    },
    async findByKey({ channel, key, oldestMs, threadTs }) {
      for await (const messages of pages(channel, oldestMs, threadTs)) {
        const m = messages.find((x) => ours(x) && x.metadata!.event_payload?.key === key);
        if (m?.ts) return m.ts;
      }
      return null;
    },
    async findAlertMessage({ channel, alert, oldestMs }) {
      let found: { ts: string; key: string | null } | null = null;
      for await (const messages of pages(channel, oldestMs)) {
        for (const m of messages) {
          const topLevel = !m.thread_ts || m.thread_ts === m.ts;
          if (!m.ts || !topLevel || !ours(m) || m.metadata!.event_payload?.alert !== alert) continue;
          // Newest first: the last match is the oldest message (the one to keep if there are several).
          if (!found || Number(m.ts) < Number(found.ts))
            found = { ts: m.ts, key: m.metadata!.event_payload?.key ?? null };
        }
      }
      return found;
    },
    async lookupUserByEmail(email) {
      try {
        const r = (await client.users.lookupByEmail({ email })) as WebAPICallResult & {
          user?: { id?: string };
        };
        return r.user?.id ?? null;
      } catch (e) {
        if (slackErrorCode(e) === "users_not_found") return null;
        throw e;
      }
    },
    async openDm(userId) {
      const r = (await client.conversations.open({ users: userId })) as WebAPICallResult & {
        channel?: { id?: string };
      };
      if (!r.channel?.id) throw new Error("conversations.open answered without a channel");
      return r.channel.id;
    },
    async botUserId() {
      botUser ??= (client.auth.test() as Promise<WebAPICallResult & { user_id?: string }>).then((r) =>
        String(r.user_id ?? ""),
      );
      botUser.catch(() => (botUser = null));
      return botUser;
    },
    async createChannel(name) {
      const r = (await client.conversations.create({ name, is_private: false })) as WebAPICallResult & {
        channel?: { id?: string };
      };
      if (!r.channel?.id) throw new Error("conversations.create answered without a channel");
      return r.channel.id;
    },
    async findChannelByName(name) {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_CHANNEL_PAGES; page++) {
        const r = (await client.conversations.list({
          types: "public_channel",
          exclude_archived: false,
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        })) as WebAPICallResult & {
          channels?: { id?: string; name?: string; creator?: string; created?: number }[];
        };
        const c = r.channels?.find((x) => x.name === name);
        if (c?.id) return { id: c.id, creator: c.creator ?? null, createdMs: (c.created ?? 0) * 1000 };
        cursor = r.response_metadata?.next_cursor || undefined;
        if (!cursor) return null;
      }
      return null;
    },
    async invite({ channel, users }) {
      if (users.length === 0) return;
      try {
        await client.conversations.invite({ channel, users: users.join(","), force: true });
      } catch (e) {
        const code = slackErrorCode(e);
        // Everyone named is already in (or is the bot itself): nothing left to do.
        if (code === "already_in_channel" || code === "cant_invite_self") return;
        throw e;
      }
    },
    async pin({ channel, ts }) {
      try {
        await client.pins.add({ channel, timestamp: ts });
      } catch (e) {
        if (slackErrorCode(e) === "already_pinned") return;
        throw e;
      }
    },
    async messageAt({ channel, ts, threadTs }) {
      type Found = { messages?: { ts?: string; text?: string; user?: string }[] };
      const common = { channel, latest: ts, oldest: ts, inclusive: true, limit: 1 };
      const pick = (r: Found) => {
        const m = r.messages?.find((x) => x.ts === ts);
        return m ? { text: m.text ?? "", user: m.user ?? null } : null;
      };
      // A reply's thread, by its parent (or by the reply itself: Slack answers with the thread of any of its
      // messages); the channel's history holds only top-level messages, so a reply not found there (an event that
      // names no thread, like reaction_added) is looked up as a thread message next.
      const inThread = (root: string) =>
        client.conversations.replies({
          ...common,
          ts: root,
          limit: 200,
        }) as Promise<unknown> as Promise<Found>;
      if (threadTs && threadTs !== ts) return pick(await inThread(threadTs));
      return (
        pick((await client.conversations.history(common)) as unknown as Found) ?? pick(await inThread(ts))
      );
    },
    async userEmail(userId) {
      try {
        const r = (await client.users.info({ user: userId })) as WebAPICallResult & {
          user?: { profile?: { email?: string } };
        };
        return r.user?.profile?.email ?? null;
      } catch (e) {
        if (slackErrorCode(e) === "user_not_found") return null;
        throw e;
      }
    },
    async test({ channel, text }) {
      const r = (await client.chat.postMessage({
        channel,
        text,
        unfurl_links: false,
      })) as WebAPICallResult & {
        ts?: string;
      };
      return { ts: String(r.ts) };
    },
  };
}

/** The Slack error code of a failed call, if it is one. */
export function slackErrorCode(e: unknown): string | null {
  const err = e as { code?: string; data?: { error?: string } };
  if (err?.code === ErrorCode.PlatformError) return err.data?.error ?? "unknown_error";
  if (err?.code === ErrorCode.RateLimitedError) return "ratelimited";
  return null;
}

/** Seconds Slack asked us to wait (a `ratelimited` answer), or null when the failure is not a rate limit. */
export function slackRetryAfterSec(e: unknown): number | null {
  const err = e as {
    code?: string;
    retryAfter?: number;
    data?: { error?: string; response_metadata?: { retryAfter?: number } };
  };
  if (err?.code === ErrorCode.RateLimitedError) return Number(err.retryAfter) || 1;
  if (err?.code === ErrorCode.PlatformError && err.data?.error === "ratelimited")
    return Number(err.data.response_metadata?.retryAfter) || 1;
  return null;
}

/** A short reason for a failed call, for logs and the failure counter (Slack's code, or the transport's). */
export function slackFailureReason(e: unknown): string {
  const code = slackErrorCode(e);
  if (code) return code;
  const err = e as {
    code?: string;
    statusCode?: number;
    original?: { code?: string; cause?: { code?: string } };
  };
  if (err?.code === ErrorCode.HTTPError) return `http_${err.statusCode ?? "error"}`;
  if (err?.code === ErrorCode.RequestError) return "request_error";
  return "error";
}

/**
 * Runs `fn` again after a transient Slack failure (HTTP 5xx, a lost answer, `ratelimited` after its
 * Retry-After), up to `tries` times; a permanent Slack error or any other error is thrown at once. `fn` is
 * told whether it is a retry, so that it can look its message up by key before it posts again.
 */
export async function retrySlack<T>(
  fn: (retry: boolean) => Promise<T>,
  o: { tries?: number; baseMs?: number; maxWaitMs?: number } = {},
): Promise<T> {
  const tries = o.tries ?? 5;
  let waitedMs = 0;
  for (let failed = 0, retry = false; ; retry = true) {
    try {
      return await fn(retry);
    } catch (e) {
      const code = slackErrorCode(e);
      const transient = String((e as { code?: unknown })?.code ?? "").startsWith("slack_");
      if (!transient || (code && PERMANENT_SLACK_ERRORS.has(code))) throw e;
      const after = slackRetryAfterSec(e);
      if (after !== null) {
        if (waitedMs + after * 1000 > (o.maxWaitMs ?? 120_000)) throw e;
        waitedMs += after * 1000;
        await new Promise((r) => setTimeout(r, after * 1000));
        continue;
      }
      if (++failed >= tries) throw e;
      await new Promise((r) => setTimeout(r, Math.min(4000, (o.baseMs ?? 250) * 2 ** (failed - 1))));
    }
  }
}
