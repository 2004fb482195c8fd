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
export function ErrorBox({ what, error }: { what: string; error: Error }) {
  return (
    <div className="error-box" role="alert">
      Could not load {what}: {errorMessage(error)}. Check that the API is reachable and reload the page.
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
