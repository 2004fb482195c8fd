import { useLocation, useNavigate } from "react-router";
import { useOverview } from "../api";

/** Team, region and service pickers of the top bar: each opens that drill-down page. */
export function ShellPickers() {
  const choices = useOverview({});
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const current = (kind: string) => {
    const m = pathname.match(new RegExp(`^/${kind}/([^/]+)`));
    return m ? decodeURIComponent(m[1]!) : "";
  };
  const picker = (kind: "teams" | "regions" | "services", label: string, options: string[]) => (
    <select
      aria-label={`Go to ${label}`}
      title={current(kind) || undefined}
      value={current(kind)}
      onChange={(e) => e.target.value && void navigate(`/${kind}/${encodeURIComponent(e.target.value)}`)}
    >
      <option value="">{label}…</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
  return (
    <div className="pickers" role="group" aria-label="Drill down">
      {picker("teams", "team", choices.data?.teams ?? [])}
      {picker("regions", "region", choices.data?.regions ?? [])}
      {picker(
        "services",
        "service",
        (choices.data?.services ?? []).map((s) => s.slug),
      )}
    </div>
  );
}
