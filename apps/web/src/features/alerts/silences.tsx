import type { SilenceResponse } from "@burnrate/contracts";
import { Link } from "react-router";
import { useSilences } from "../../api";
import { DataTable } from "../../components/data-table";
import { fmtTime } from "../../components/format";
import { QueryState } from "../../components/query-state";

/** What a silence covers, in words: "team payments, region prod-eu". */
export const scopeOf = (s: SilenceResponse) =>
  [
    s.team && `team ${s.team}`,
    s.service && `service ${s.service}`,
    s.sloId && "one SLO",
    s.region && `region ${s.region}`,
  ]
    .filter(Boolean)
    .join(", ");

/** The silences in force and recent ones (maintenance windows). */
export function Silences() {
  const silences = useSilences();
  return (
    <section aria-label="Silences">
      <h2>Silences</h2>
      <QueryState query={silences} what="the silences" loadingWhat="silences">
        {(rows) =>
          rows.length === 0 ? (
            <p className="muted">
              No silences. Create one in <Link to="/settings/silences">Settings: Silences</Link>.
            </p>
          ) : (
            <DataTable
              rows={rows}
              rowKey={(s) => s.id}
              columns={[
                { header: "Scope", cell: scopeOf },
                { header: "From", cell: (s) => fmtTime(Date.parse(s.startsAt)) },
                { header: "Until", cell: (s) => fmtTime(Date.parse(s.endsAt)) },
                { header: "Reason", cell: (s) => s.reason },
                { header: "By", cell: (s) => s.author },
                { header: "Active", cell: (s) => (s.active ? "yes" : "no") },
              ]}
            />
          )
        }
      </QueryState>
    </section>
  );
}
