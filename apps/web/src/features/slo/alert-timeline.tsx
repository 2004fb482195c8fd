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
      {alert?.deliveries && alert.deliveries.length > 0 && <Deliveries deliveries={alert.deliveries} />}
    </section>
  );
}

const TYPE_WORDS: Record<string, string> = {
  "alert.firing": "trigger",
  "alert.acknowledged": "acknowledge",
  "alert.resolved": "resolve",
  "alert.escalated": "escalation",
};

/** What each receiver of the team was sent of this alert: the call, its state, its tries and its last error. */
function Deliveries({ deliveries }: { deliveries: NonNullable<AlertResponse["deliveries"]> }) {
  return (
    <>
      <h3>Receivers</h3>
      <table className="table" aria-label="Receiver deliveries">
        <thead>
          <tr>
            <th>Receiver</th>
            <th>Call</th>
            <th>State</th>
            <th>Tries</th>
            <th>Sent</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={`${d.receiver}-${d.type}`} data-status={d.status}>
              <td>
                {d.receiver} <span className="muted">({d.kind})</span>
              </td>
              <td>{TYPE_WORDS[d.type] ?? d.type}</td>
              <td>
                {d.status}
                {d.error && d.status !== "sent" ? <span className="muted"> · {d.error}</span> : null}
              </td>
              <td>{d.attempts}</td>
              <td>{d.sentAt ? fmtTime(Date.parse(d.sentAt)) : "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
