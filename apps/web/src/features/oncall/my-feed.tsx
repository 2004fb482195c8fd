import type { UseMutationResult } from "@tanstack/react-query";
import { ErrorText } from "../../components/error-text";

type Feed = UseMutationResult<{ icalUrl: string }, Error, void>;

/** Asks for a personal iCal feed of your shifts in every schedule (a new link replaces the old one). */
export function MyFeedButton({ feed }: { feed: Feed }) {
  return (
    <button
      className="secondary"
      onClick={() => feed.mutate()}
      disabled={feed.isPending}
      title="Subscribe to it in your calendar app; a new link replaces the old one"
    >
      My calendar feed
    </button>
  );
}

/** The feed's URL, shown once like an API token. */
export function MyFeedLink({ feed }: { feed: Feed }) {
  if (feed.error) return <ErrorText error={feed.error} />;
  if (!feed.data) return null;
  return (
    <div className="banner secret" role="status" aria-label="Calendar feed">
      Subscribe to your shifts in your calendar app:{" "}
      <code>{`${window.location.origin}${feed.data.icalUrl}`}</code> (shown once; a new link replaces it)
    </div>
  );
}
