import type { OncallPosition, ScheduleResponse } from "@burnrate/contracts";
import { useOncallNow } from "../../api";
import { QueryState } from "../../components/query-state";
import { POSITION_LABEL } from "./to-timeline";

/** Who holds each position right now; "nobody" outside the schedule's active hours. */
export function OncallNow({ schedule }: { schedule: ScheduleResponse }) {
  const now = useOncallNow(schedule.id);
  return (
    <QueryState query={now} what="who is on call">
      {(data) => (
        <dl className="oncall-now" aria-label={`On call now for ${schedule.name}`}>
          {(schedule.positions as OncallPosition[]).map((p) => {
            const h = data.positions[p];
            return (
              <div key={p} data-testid={`now-${p}`}>
                <dt>{POSITION_LABEL[p]}</dt>
                <dd>
                  {h ? (
                    <>
                      <strong>{h.name}</strong> <span className="muted">{h.email}</span>
                      {h.source !== "rotation" && <span className="chip warn">{h.source}</span>}
                    </>
                  ) : (
                    <span className="muted">nobody (outside active hours)</span>
                  )}
                </dd>
              </div>
            );
          })}
        </dl>
      )}
    </QueryState>
  );
}
