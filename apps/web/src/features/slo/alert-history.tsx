import type { AlertResponse } from "@burnrate/contracts";
import { DataTable } from "../../components/data-table";
import { SlackDelivery } from "../../components/slack-delivery";

/** Every alert of the SLO, with when it fired and resolved and whether Slack got it. */
export function AlertHistory({ alerts }: { alerts: AlertResponse[] }) {
  return (
    <section aria-label="Alert history">
      <h2>Alerts</h2>
      {alerts.length === 0 ? (
        <p className="muted">No alerts.</p>
      ) : (
        <DataTable
          scroll
          rows={alerts}
          rowKey={(a) => a.id}
          columns={[
            { header: "State", cell: (a) => a.state },
            { header: "Severity", cell: (a) => a.severity },
            { header: "Region", cell: (a) => a.region ?? "all" },
            { header: "Fired", cell: (a) => new Date(a.firedAt).toLocaleString() },
            {
              header: "Resolved",
              cell: (a) => (a.resolvedAt ? new Date(a.resolvedAt).toLocaleString() : "–"),
            },
            { header: "Slack", cell: (a) => <SlackDelivery slack={a.slack} /> },
          ]}
        />
      )}
    </section>
  );
}
