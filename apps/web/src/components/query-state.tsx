import type { ReactNode } from "react";
import { ErrorBox, Loading } from "./states";

/** What QueryState needs of a TanStack query. */
export interface QueryLike<T> {
  data: T | undefined;
  error: Error | null;
  isLoading: boolean;
}

/**
 * A query's loading and error states, then its data: "Loading <what>…", the error box (also when the answer is
 * missing), or `children(data)`. `page` puts the states in a page of their own (a page that has nothing to show
 * before its main query answers).
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
  if (query.error || query.data === undefined)
    return inPage(<ErrorBox what={what} error={query.error ?? new Error("not found")} />);
  return children(query.data);
}
