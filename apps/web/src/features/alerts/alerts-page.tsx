import { useState } from "react";
import { errorMessage, useAlertAction, useAlertList, type AlertAction } from "../../api";
import { ChoiceSelect } from "../../components/choice-select";
import { fmtTime } from "../../components/format";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { useUrlState } from "../../components/url-state";
import { AlertsTable } from "./alerts-table";
import { Silences } from "./silences";

const STATES = { open: "firing and acknowledged", resolved: "resolved (recent)" } as const;

/** Firing and recent alerts, with acknowledge and snooze, and the silences in force. */
export function AlertsPage() {
  const { get, set } = useUrlState();
  const state = get("state") === "resolved" ? "resolved" : "open";
  const alerts = useAlertList(state);
  const action = useAlertAction();
  const [message, setMessage] = useState<string | null>(null);
  async function act(id: string, kind: AlertAction) {
    try {
      const a = await action.mutateAsync({ id, action: kind });
      setMessage(
        kind === "ack"
          ? `Acknowledged ${a.sloName} (${a.region ?? "all regions"}).`
          : `Snoozed ${a.sloName} until ${fmtTime(Date.parse(a.snoozedUntil ?? ""))}.`,
      );
    } catch (e) {
      setMessage(`Could not ${kind}: ${errorMessage(e)}`);
    }
  }
  return (
    <div className="page">
      <PageHeader
        title="Alerts"
        description="Burn-rate pages and tickets. Acknowledge to stop re-notifying; snooze for 2 hours."
      >
        <ChoiceSelect
          label="Show"
          ariaLabel="Alert state"
          value={state}
          choices={Object.entries(STATES)}
          onChange={(v) => set({ state: v === "open" ? null : v })}
        />
      </PageHeader>
      {message && (
        <div className="banner" role="status">
          {message}
        </div>
      )}
      <QueryState query={alerts} what="alerts">
        {(rows) =>
          rows.length === 0 ? (
            <div className="empty">
              {state === "open"
                ? "Nothing is firing. Budgets are burning within their tiers."
                : "No resolved alerts yet."}
            </div>
          ) : (
            <AlertsTable alerts={rows} onAction={(id, kind) => void act(id, kind)} />
          )
        }
      </QueryState>
      <Silences />
    </div>
  );
}
