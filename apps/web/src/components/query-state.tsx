import type { ReactNode } from "react";
import { isNotFound } from "../api";
import { NotFound } from "./not-found";
import { ErrorBox, Loading } from "./states";

/** What QueryState needs of a TanStack query. */
export interface QueryLike<T> {
  data: T | undefined;
  error: Error | null;
  isLoading: boolean;
  /** asks again (the error box's Retry) */
  refetch?: () => unknown;
}

/**
 * A query's loading and error states, then its data: "Loading <what>…", "not found" when the API answered 404
 * (a page of its own with `page`), the error box with a Retry, or `children(data)`. `page` puts the states in a
 * page of their own (a page that has nothing to show before its main query answers).
 */
export function QueryState<T>({
  query,
  what,
  loadingWhat = what,
  page = false,
  children,
}: {
  query: QueryLike<T>;
  /** what is loading, in the error sentence ("Could not load <what>") */
  what: string;
  /** what is loading, in the loading sentence, when it differs */
  loadingWhat?: string;
  page?: boolean;
  children: (data: T) => ReactNode;
}) {
  const inPage = (n: ReactNode) => (page ? <div className="page">{n}</div> : n);
  if (query.isLoading) return inPage(<Loading what={loadingWhat} />);
  if (isNotFound(query.error))
    return page ? <NotFound what={what} /> : <p className="muted">Not found: {what}.</p>;
  if (query.error || query.data === undefined)
    return inPage(
      <ErrorBox
        what={what}
        error={query.error ?? new Error("the answer was empty")}
        onRetry={query.refetch ? () => void query.refetch?.() : undefined}
      />,
    );
  return children(query.data);
}
