import type { AlertResponse } from "@burnrate/contracts";
import { fmtTime } from "../../components/format";
import { describeEvent } from "./on-call";

/** What happened to the alert, oldest first: fired, escalated, acknowledged, snoozed, resolved. */
export function AlertTimeline({ alert, loading }: { alert: AlertResponse | null; loading: boolean }) {
  const events = alert?.events ?? [];
  return (
    <section className="panel" aria-label="Alert timeline">
      <h2>Alert timeline</h2>
      {alert === null ? (
        <p className="muted">No alert in this region.</p>
      ) : loading && events.length === 0 ? (
        <p className="muted">Loading…</p>
      ) : (
        <ol className="timeline">
          {events.map((e, i) => (
            <li key={`${e.at}-${i}`} data-kind={e.kind}>
              <time dateTime={e.at}>{fmtTime(Date.parse(e.at))}</time> {describeEvent(e)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
