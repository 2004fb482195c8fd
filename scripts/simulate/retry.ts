/** Retries of transient API failures with exponential backoff, cut short when the simulator is stopped. */
import { ApiError } from "./api-client.ts";

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

export async function withRetry<T>(
  what: string,
  fn: () => Promise<T>,
  opts: { attempts: number; stop: AbortSignal; log: (s: string) => void },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof ApiError) || !e.transient || attempt >= opts.attempts || opts.stop.aborted) throw e;
      const wait = Math.min(30_000, 1000 * 2 ** (attempt - 1));
      opts.log(
        `${what}: ${e.message}; retrying in ${wait / 1000}s (attempt ${attempt + 1}/${opts.attempts})`,
      );
      await sleep(wait, opts.stop);
    }
  }
}
