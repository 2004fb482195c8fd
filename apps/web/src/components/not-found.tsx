import { Link } from "react-router";
import { usePageTitle } from "./page-title";

/** A page for something that does not exist: an unknown address, or a team, service or SLO the API does not know. */
export function NotFound({ what }: { what?: string }) {
  usePageTitle("Not found");
  return (
    <div className="page">
      <div className="empty not-found" role="status">
        <h1>Not found</h1>
        <p>{what ? `${capitalized(what)} was not found.` : "There is no page at this address."}</p>
        <p>
          <Link to="/">Back to the overview</Link>
        </p>
      </div>
    </div>
  );
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
