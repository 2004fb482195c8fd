import type { OverviewRow } from "@burnrate/contracts";
import { Link } from "react-router";
import { STATE_LABEL } from "../../components/budget-cell";
import type { Column } from "../../components/data-table";
import { fmtBurn, fmtExhaustion, fmtObjective, fmtPercent } from "../../components/format";
import { NameLink } from "../../components/name-link";
import { StatusBadge } from "../../components/status-badge";
import type { SortDir, SortKey } from "./rows";

/** The overview's columns, in order, each sortable by its key. */
export const SORT_COLUMNS: { key: SortKey; label: string; num?: boolean }[] = [
  { key: "state", label: "Status" },
  { key: "name", label: "SLO" },
  { key: "service", label: "Service" },
  { key: "team", label: "Team" },
  { key: "region", label: "Region" },
  { key: "sli", label: "SLI type" },
  { key: "objective", label: "Objective", num: true },
  { key: "sliRatio", label: "SLI", num: true },
  { key: "budget", label: "Budget left", num: true },
  { key: "burn1h", label: "Burn 1 h", num: true },
  { key: "burn6h", label: "Burn 6 h", num: true },
  { key: "exhaustion", label: "Exhausted in", num: true },
];

const sloLink = (r: OverviewRow) =>
  `/slos/${r.sloId}${r.region ? `?region=${encodeURIComponent(r.region)}` : ""}`;

const CELLS: Record<SortKey, Pick<Column<OverviewRow>, "cell" | "className" | "testId">> = {
  state: {
    cell: (r) => (
      <StatusBadge tone={r.state}>
        {r.alertSeverity ? `${STATE_LABEL[r.state]} (${r.alertSeverity})` : STATE_LABEL[r.state]}
      </StatusBadge>
    ),
  },
  name: {
    className: "name-cell",
    cell: (r) => (
      <>
        <Link to={sloLink(r)}>{r.name}</Link>
        <div className="muted small">{r.sentence}</div>
      </>
    ),
  },
  service: { className: "nowrap", cell: (r) => <NameLink to={`/services/${r.service}`} name={r.service} /> },
  team: { className: "nowrap", cell: (r) => <NameLink to={`/teams/${r.team}`} name={r.team} /> },
  region: {
    className: "nowrap",
    cell: (r) =>
      r.region ? <NameLink to={`/regions/${r.region}`} name={r.region} /> : <span className="muted">–</span>,
  },
  sli: { cell: (r) => r.sli },
  objective: { cell: (r) => fmtObjective(r.objectivePercent) },
  sliRatio: { cell: (r) => fmtPercent(r.sliRatio, 3) },
  budget: {
    testId: "budget",
    cell: (r) => (r.remainingFraction === null ? "no data" : fmtPercent(r.remainingFraction, 1)),
  },
  burn1h: { cell: (r) => fmtBurn(r.burnRate1h) },
  burn6h: { cell: (r) => fmtBurn(r.burnRate6h) },
  exhaustion: { cell: (r) => (r.total > 0 ? fmtExhaustion(r.timeToExhaustionHours, r.exhaustion) : "–") },
};

export function overviewColumns({
  sort,
  dir,
  onSort,
}: {
  sort: SortKey;
  dir: SortDir;
  onSort: (key: SortKey) => void;
}): Column<OverviewRow>[] {
  return SORT_COLUMNS.map((c) => ({
    key: c.key,
    header: c.label,
    num: c.num,
    ...CELLS[c.key],
    sort: { dir: sort === c.key ? dir : null, onSort: () => onSort(c.key) },
  }));
}
