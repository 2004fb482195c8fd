import type { AlertResponse } from "@burnrate/contracts";
import type { AlertAction } from "../api";

/** Acknowledge and snooze buttons of an open alert (nothing for a resolved one). */
export function AlertActions({
  alert: a,
  onAction,
}: {
  alert: AlertResponse;
  onAction: (action: AlertAction) => void;
}) {
  if (a.state === "resolved") return null;
  const where = `${a.sloName} ${a.region ?? ""}`;
  return (
    <>
      <button type="button" disabled={a.state === "acknowledged"} onClick={() => onAction("ack")}>
        Acknowledge<span className="sr-only"> {where}</span>
      </button>
      <button type="button" className="secondary" onClick={() => onAction("snooze")}>
        Snooze<span className="sr-only"> {where}</span> 2 h
      </button>
    </>
  );
}
