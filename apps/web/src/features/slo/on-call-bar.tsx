import type { AlertResponse, SloResponse } from "@burnrate/contracts";
import { useState } from "react";
import { Link } from "react-router";
import { errorMessage, useAlertAction } from "../../api";
import { fmtTime } from "../../components/format";
import { SNOOZE_CHOICES, alertPriority, openElsewhere } from "./on-call";

/**
 * The top of the SLO page for whoever is on call: the alert of the region shown, in words and with an icon (not
 * colour alone), its priority, and Acknowledge and Snooze (with a choice of lengths) in reach without scrolling.
 */
export function OnCallBar({
  slo,
  alert,
  alerts,
}: {
  slo: SloResponse;
  alert: AlertResponse | null;
  alerts: AlertResponse[];
}) {
  const action = useAlertAction();
  const [minutes, setMinutes] = useState(120);
  const others = openElsewhere(alerts, alert);
  const open = alert !== null && alert.state !== "resolved";
  if (!open)
    return (
      <section className="oncall-bar calm" aria-label="Alert">
        <span className="oncall-state">✓ No open alert{alert?.region ? ` in ${alert.region}` : ""}</span>
        {others.length > 0 && <OtherRegions slo={slo} others={others} />}
      </section>
    );
  const priority = alertPriority(alert, slo.priority);
  const snoozed = alert.snoozedUntil && Date.parse(alert.snoozedUntil) > Date.now();
  return (
    <section
      className={`oncall-bar ${alert.state}`}
      aria-label="Alert"
      data-testid="oncall-bar"
      data-state={alert.state}
    >
      <span className="oncall-state">
        {alert.state === "firing" ? "▲ Firing" : "● Acknowledged"}: {alert.severity}
        {priority ? ` · ${priority}` : ""} · {alert.region ?? "all regions"} · since{" "}
        {fmtTime(Date.parse(alert.firedAt))}
      </span>
      {alert.acknowledgedBy && <span className="small">acknowledged by {alert.acknowledgedBy}</span>}
      {snoozed && <span className="small">snoozed until {fmtTime(Date.parse(alert.snoozedUntil!))}</span>}
      <span className="spacer" />
      <span className="oncall-actions">
        <button
          type="button"
          disabled={alert.state !== "firing" || action.isPending}
          onClick={() => action.mutate({ id: alert.id, action: "ack" })}
        >
          Acknowledge
        </button>
        <label className="snooze">
          <span className="sr-only">Snooze for</span>
          <select
            value={minutes}
            onChange={(e) => setMinutes(Number(e.target.value))}
            aria-label="Snooze for"
          >
            {SNOOZE_CHOICES.map(([m, label]) => (
              <option key={m} value={m}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="secondary"
          disabled={action.isPending}
          onClick={() => action.mutate({ id: alert.id, action: "snooze", minutes })}
        >
          Snooze
        </button>
      </span>
      {action.error && (
        <span className="error" role="alert">
          {errorMessage(action.error)}
        </span>
      )}
      {others.length > 0 && <OtherRegions slo={slo} others={others} />}
    </section>
  );
}

function OtherRegions({ slo, others }: { slo: SloResponse; others: AlertResponse[] }) {
  return (
    <span className="small">
      also open:{" "}
      {others.map((a, i) => (
        <span key={a.id}>
          {i > 0 && ", "}
          <Link to={`/slos/${slo.id}${a.region ? `?region=${encodeURIComponent(a.region)}` : ""}`}>
            {a.region ?? "all regions"} ({a.state})
          </Link>
        </span>
      ))}
    </span>
  );
}
