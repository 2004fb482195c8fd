import type { AlertResponse } from "@burnrate/contracts";
import { Link } from "react-router";
import type { AlertAction } from "../../api";
import { AlertActions } from "../../components/alert-actions";
import { DataTable } from "../../components/data-table";
import { fmtTime } from "../../components/format";
import { SlackDelivery } from "../../components/slack-delivery";
import { StatusBadge, type Tone } from "../../components/status-badge";

const STATE_TONE: Record<AlertResponse["state"], Tone> = {
  firing: "firing",
  acknowledged: "low",
  resolved: "healthy",
};

/** Alerts with their state, where they fired, who acknowledged or snoozed them, Slack delivery and actions. */
export function AlertsTable({
  alerts,
  onAction,
}: {
  alerts: AlertResponse[];
  onAction: (id: string, action: AlertAction) => void;
}) {
  return (
    <DataTable
      label="Alerts"
      className="grid"
      rows={alerts}
      rowKey={(a) => a.id}
      rowProps={() => ({ "data-testid": "alert-row" })}
      columns={[
        { header: "State", cell: (a) => <StatusBadge tone={STATE_TONE[a.state]}>{a.state}</StatusBadge> },
        {
          header: "Severity",
          cell: (a) => (
            <>
              {a.severity}
              {a.priority ? ` · ${a.priority}` : ""}
            </>
          ),
        },
        {
          header: "SLO",
          cell: (a) => (
            <Link to={`/slos/${a.sloId}${a.region ? `?region=${a.region}` : ""}`}>{a.sloName}</Link>
          ),
        },
        { header: "Service", cell: (a) => a.service },
        { header: "Region", cell: (a) => a.region ?? "all" },
        { header: "Fired", cell: (a) => fmtTime(Date.parse(a.firedAt)) },
        {
          header: "Acknowledged / snoozed",
          className: "small",
          cell: (a) => (
            <>
              {a.acknowledgedBy ? `by ${a.acknowledgedBy}` : ""}
              {a.snoozedUntil && Date.parse(a.snoozedUntil) > Date.now()
                ? ` snoozed until ${fmtTime(Date.parse(a.snoozedUntil))}`
                : ""}
            </>
          ),
        },
        { header: "Slack", className: "small", cell: (a) => <SlackDelivery slack={a.slack} /> },
        {
          header: "Actions",
          className: "actions",
          cell: (a) => <AlertActions alert={a} onAction={(kind) => onAction(a.id, kind)} />,
        },
      ]}
    />
  );
}
