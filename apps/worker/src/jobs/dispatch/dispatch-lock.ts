/** The advisory lock's connection is gone: stop this job (the queue retries it), do not post. */
export class LockLostError extends Error {
  constructor(cause: string) {
    super(`lost the dispatch lock: ${cause}`);
  }
}

/** Checks, right before a post, that this job still holds its alert's lock (throws LockLostError if not). */
export type Guard = () => Promise<void>;
