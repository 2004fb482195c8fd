import { AlertResponse } from "@burnrate/contracts";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api, ApiError } from "../../api/client";
import { useAlertList, useSilences } from "../../api/hooks";
import { fmtTime } from "../../components/format";
import { ErrorBox, Loading } from "../../components/states";
import { useUrlState } from "../../components/url-state";

const STATES = { open: "firing and acknowledged", resolved: "resolved (recent)" } as const;

/** Firing and recent alerts, with acknowledge and snooze, and the silences in force. */
export function AlertsPage() {
  const { get, set } = useUrlState();
  const state = get("state") === "resolved" ? "resolved" : "open";
  const alerts = useAlertList(state);
  const silences = useSilences();
  const qc = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  async function act(id: string, path: "ack" | "snooze") {
    try {
      const a = await api(AlertResponse, `/api/v1/alerts/${id}/${path}`, {
        method: "POST",
        ...(path === "snooze" ? { json: { minutes: 120 } } : {}),
      });
      setMessage(
        path === "ack"
          ? `Acknowledged ${a.sloName} (${a.region ?? "all regions"}).`
          : `Snoozed ${a.sloName} until ${fmtTime(Date.parse(a.snoozedUntil ?? ""))}.`,
      );
      await qc.invalidateQueries({ queryKey: ["alerts"] });
    } catch (e) {
      setMessage(`Could not ${path}: ${e instanceof ApiError ? e.message : String(e)}`);
    }
  }
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Alerts</h1>
          <p className="muted">
            Burn-rate pages and tickets. Acknowledge to stop re-notifying; snooze for 2 hours.
          </p>
        </div>
        <span className="spacer" />
        <label>
          Show
          <select
            aria-label="Alert state"
            value={state}
            onChange={(e) => set({ state: e.target.value === "open" ? null : e.target.value })}
          >
            {Object.entries(STATES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
      </div>
      {message && (
        <div className="banner" role="status">
          {message}
        </div>
      )}
      {alerts.isLoading ? (
        <Loading what="alerts" />
      ) : alerts.error ? (
        <ErrorBox what="alerts" error={alerts.error} />
      ) : alerts.data!.length === 0 ? (
        <div className="empty">
          {state === "open"
            ? "Nothing is firing. Budgets are burning within their tiers."
            : "No resolved alerts yet."}
        </div>
      ) : (
        <table className="grid" aria-label="Alerts">
          <thead>
            <tr>
              <th>State</th>
              <th>Severity</th>
              <th>SLO</th>
              <th>Service</th>
              <th>Region</th>
              <th>Fired</th>
              <th>Acknowledged / snoozed</th>
              <th>Slack</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {alerts.data!.map((a) => (
              <tr key={a.id} data-testid="alert-row">
                <td>
                  <span
                    className={`chip ${a.state === "firing" ? "state-firing" : a.state === "acknowledged" ? "state-low" : "state-healthy"}`}
                  >
                    {a.state}
                  </span>
                </td>
                <td>
                  {a.severity}
                  {a.priority ? ` · ${a.priority}` : ""}
                </td>
                <td>
                  <Link to={`/slos/${a.sloId}${a.region ? `?region=${a.region}` : ""}`}>{a.sloName}</Link>
                </td>
                <td>{a.service}</td>
                <td>{a.region ?? "all"}</td>
                <td>{fmtTime(Date.parse(a.firedAt))}</td>
                <td className="small">
                  {a.acknowledgedBy ? `by ${a.acknowledgedBy}` : ""}
                  {a.snoozedUntil && Date.parse(a.snoozedUntil) > Date.now()
                    ? ` snoozed until ${fmtTime(Date.parse(a.snoozedUntil))}`
                    : ""}
                </td>
                <td className="small">
                  {a.slack.error ? (
                    <span className="error">{a.slack.error}</span>
                  ) : a.slack.ts ? (
                    "posted"
                  ) : (
                    "–"
                  )}
                </td>
                <td className="actions">
                  {a.state !== "resolved" && (
                    <>
                      <button
                        type="button"
                        disabled={a.state === "acknowledged"}
                        onClick={() => void act(a.id, "ack")}
                        aria-label={`Acknowledge ${a.sloName} ${a.region ?? ""}`}
                      >
                        Ack
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => void act(a.id, "snooze")}
                        aria-label={`Snooze ${a.sloName} ${a.region ?? ""} for 2 hours`}
                      >
                        Snooze 2 h
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-label="Silences">
        <h2>Silences</h2>
        {silences.error ? (
          <p className="muted">Silences are not available: {silences.error.message}</p>
        ) : (silences.data ?? []).length === 0 ? (
          <p className="muted">
            No silences. Create one for maintenance with <code>POST /api/v1/silences</code>.
          </p>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th>Scope</th>
                <th>From</th>
                <th>Until</th>
                <th>Reason</th>
                <th>By</th>
                <th>Active</th>
              </tr>
            </thead>
            <tbody>
              {silences.data!.map((s) => (
                <tr key={s.id}>
                  <td>
                    {[
                      s.team && `team ${s.team}`,
                      s.service && `service ${s.service}`,
                      s.sloId && "one SLO",
                      s.region && `region ${s.region}`,
                    ]
                      .filter(Boolean)
                      .join(", ")}
                  </td>
                  <td>{fmtTime(Date.parse(s.startsAt))}</td>
                  <td>{fmtTime(Date.parse(s.endsAt))}</td>
                  <td>{s.reason}</td>
                  <td>{s.author}</td>
                  <td>{s.active ? "yes" : "no"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
