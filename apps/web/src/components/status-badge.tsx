import type { OverviewRow } from "@burnrate/contracts";
import type { ReactNode } from "react";

/** The state colours of the app: red firing and exhausted, amber low, green healthy, grey no data. */
export type Tone = OverviewRow["state"];

/** A coloured chip naming a state (an SLO's, an alert's, a period's adherence…). */
export function StatusBadge({
  tone,
  testId,
  children,
}: {
  tone: Tone;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <span className={`chip state-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}
