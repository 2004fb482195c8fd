import type { OverviewResponse } from "@burnrate/contracts";
import { useUrlState } from "./url-state";

export const SLI_TYPES = ["availability", "latency", "ratio"] as const;

/**
 * Team, service, region and SLI pickers bound to the URL. Choices come from the overview report's lists
 * (every team, service and region known); services narrow to the chosen team.
 */
export function FilterBar({
  choices,
  show = ["team", "service", "region", "sli"],
}: {
  choices: Pick<OverviewResponse, "teams" | "services" | "regions"> | undefined;
  show?: ("team" | "service" | "region" | "sli")[];
}) {
  const { get, set } = useUrlState();
  const team = get("team");
  const services = (choices?.services ?? []).filter((s) => !team || s.team === team);
  return (
    <div className="filters" role="group" aria-label="Filters">
      {show.includes("team") && (
        <label>
          Team
          <select
            aria-label="Team"
            value={team}
            onChange={(e) => set({ team: e.target.value, service: null })}
          >
            <option value="">all teams</option>
            {(choices?.teams ?? []).map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
      )}
      {show.includes("service") && (
        <label>
          Service
          <select
            aria-label="Service"
            value={get("service")}
            onChange={(e) => set({ service: e.target.value })}
          >
            <option value="">all services</option>
            {services.map((s) => (
              <option key={s.slug}>{s.slug}</option>
            ))}
          </select>
        </label>
      )}
      {show.includes("region") && (
        <label>
          Region
          <select aria-label="Region" value={get("region")} onChange={(e) => set({ region: e.target.value })}>
            <option value="">all regions</option>
            {(choices?.regions ?? []).map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
      )}
      {show.includes("sli") && (
        <label>
          SLI
          <select aria-label="SLI" value={get("sli")} onChange={(e) => set({ sli: e.target.value })}>
            <option value="">all SLIs</option>
            {SLI_TYPES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
