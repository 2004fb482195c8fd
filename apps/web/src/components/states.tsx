import { errorMessage } from "../api";
import type { ReactNode } from "react";

/** Loading, error and empty states that say what is happening and what to do next. */
export function Loading({ what }: { what: string }) {
  return (
    <div className="muted loading" role="status" aria-live="polite">
      Loading {what}…
    </div>
  );
}
/**
 * A request that failed: what could not be loaded and why, in the API's words (or "the API did not answer" when
 * no answer came), with a Retry when the caller can ask again.
 */
export function ErrorBox({ what, error, onRetry }: { what: string; error: Error; onRetry?: () => void }) {
  // fetch throws a TypeError when no answer came at all (network down, API stopped)
  const why = error instanceof TypeError ? "the API did not answer" : errorMessage(error);
  return (
    <div className="error-box" role="alert">
      <span>
        Could not load {what}: {why}.
      </span>
      {onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
export function Empty({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty">
      <h2>{title}</h2>
      <div>{children}</div>
    </div>
  );
}

/** Shown while a query with new filters loads and the previous answer is still on screen. */
export function Updating({ query }: { query: { isFetching: boolean; isPlaceholderData: boolean } }) {
  if (!(query.isFetching && query.isPlaceholderData)) return null;
  return (
    <div className="banner" role="status" data-testid="updating">
      Updating for the new filters…
    </div>
  );
}
