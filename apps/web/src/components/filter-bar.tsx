import type { OverviewResponse } from "@burnrate/contracts";
import { ChoiceSelect, choicesOf } from "./choice-select";
import { useUrlState } from "./url-state";

export const SLI_TYPES = ["availability", "latency", "ratio"] as const;

type Filter = "team" | "service" | "region" | "sli";

/**
 * Team, service, region and SLI pickers bound to the URL. Choices come from the overview report's lists
 * (every team, service and region known); services narrow to the chosen team.
 */
export function FilterBar({
  choices,
  show = ["team", "service", "region", "sli"],
}: {
  choices: Pick<OverviewResponse, "teams" | "services" | "regions"> | undefined;
  show?: Filter[];
}) {
  const { get, set } = useUrlState();
  const team = get("team");
  const services = (choices?.services ?? []).filter((s) => !team || s.team === team);
  const pickers: Record<Filter, { label: string; all: string; values: readonly string[] }> = {
    team: { label: "Team", all: "all teams", values: choices?.teams ?? [] },
    service: { label: "Service", all: "all services", values: services.map((s) => s.slug) },
    region: { label: "Region", all: "all regions", values: choices?.regions ?? [] },
    sli: { label: "SLI", all: "all SLIs", values: SLI_TYPES },
  };
  return (
    <div className="filters" role="group" aria-label="Filters">
      {(["team", "service", "region", "sli"] as const)
        .filter((f) => show.includes(f))
        .map((f) => (
          <ChoiceSelect
            key={f}
            label={pickers[f].label}
            value={get(f)}
            choices={[["", pickers[f].all], ...choicesOf(pickers[f].values)]}
            // a new team may not have the chosen service
            onChange={(v) => set(f === "team" ? { team: v, service: null } : { [f]: v })}
          />
        ))}
    </div>
  );
}
