import { Link } from "react-router";

/**
 * A link named by a team, service, region or SLO: a long name (slugs go up to 63 characters) ends in "…" where
 * the cell is too narrow, with the whole name in a tooltip, so it never widens its table or the page.
 */
export function NameLink({ to, name }: { to: string; name: string }) {
  return (
    <Link to={to} className="truncate" title={name}>
      {name}
    </Link>
  );
}
