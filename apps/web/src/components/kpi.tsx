import type { ReactNode } from "react";

/** One key figure: a label, the value, and a line of context; "bad" tints it red. */
export function Kpi({
  label,
  value,
  sub,
  tone,
  testId,
  valueTestId,
}: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  tone?: "bad";
  testId?: string;
  valueTestId?: string;
}) {
  return (
    <div className={tone ? `kpi ${tone}` : "kpi"} data-testid={testId}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value" data-testid={valueTestId}>
        {value}
      </div>
      {sub !== undefined && <div className="kpi-sub muted">{sub}</div>}
    </div>
  );
}
