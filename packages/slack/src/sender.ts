import { ErrorCode, WebClient, type WebAPICallResult } from "@slack/web-api";

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

export interface SlackSender {
  post(args: {
    channel: string;
    text: string;
    blocks?: unknown[];
    threadTs?: string;
    key: string;
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
  /** Posts a plain test message (settings page "send test message"). */
  test(args: { channel: string; text: string }): Promise<{ ts: string }>;
}

export const METADATA_EVENT_TYPE = "burnrate_alert";

export function createSlackSender(opts: {
  token: string;
  apiUrl?: string;
  maxRetries?: number;
}): SlackSender {
  const client = new WebClient(opts.token, {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    retryConfig: { retries: opts.maxRetries ?? 5, factor: 2, minTimeout: 500, maxTimeout: 30_000 },
    rejectRateLimitedCalls: false,
  });
  return {
    async post({ channel, text, blocks, threadTs, key }) {
      const r = (await client.chat.postMessage({
        channel,
        text,
        ...(blocks ? { blocks: blocks as never } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        metadata: { event_type: METADATA_EVENT_TYPE, event_payload: { key } },
        unfurl_links: false,
      })) as WebAPICallResult & { ts?: string; channel?: string };
      return { ts: String(r.ts), channel: String(r.channel ?? channel) };
    },
    async update({ channel, ts, text, blocks }) {
      await client.chat.update({ channel, ts, text, ...(blocks ? { blocks: blocks as never } : {}) });
    },
    async findByKey({ channel, key, oldestMs, threadTs }) {
      type Page = {
        messages?: { ts?: string; metadata?: { event_type?: string; event_payload?: { key?: string } } }[];
        response_metadata?: { next_cursor?: string };
      };
      let cursor: string | undefined;
      // Bounded: a channel with more than 2,000 messages since the alert fired is searched no further.
      for (let page = 0; page < 10; page++) {
        const common = {
          channel,
          oldest: String(oldestMs / 1000),
          limit: 200,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        };
        const r = (
          threadTs
            ? await client.conversations.replies({ ...common, ts: threadTs })
            : await client.conversations.history(common)
        ) as Page;
        const m = r.messages?.find(
          (x) => x.metadata?.event_type === METADATA_EVENT_TYPE && x.metadata.event_payload?.key === key,
        );
        if (m?.ts) return m.ts;
        cursor = r.response_metadata?.next_cursor || undefined;
        if (!cursor) return null;
      }
      return null;
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
  return null;
}
