import type { SloStatusResponse } from "@burnrate/contracts";
import { fmtTime } from "../../components/format";

const at = (iso: string | null) => (iso ? fmtTime(Date.parse(iso)) : "never");

/**
 * Where a Prometheus-sourced SLO's numbers come from, and why newer ones are missing: the failed pulls in a row
 * and the last error (a query that fails leaves the last numbers in place, never a 100%).
 */
export function SourceBanner({ source }: { source: NonNullable<SloStatusResponse["source"]> }) {
  const failing = source.failures > 0;
  return (
    <div
      className={failing ? "banner bad" : "banner"}
      role={failing ? "alert" : "status"}
      data-testid="slo-source"
    >
      <span>
        Counted by Prometheus · evaluated {at(source.evaluatedAt)} · last answer {at(source.lastOkAt)}
        {failing && (
          <>
            {" "}
            ·{" "}
            <strong>
              {source.failures === 1 ? "the last pull failed" : `${source.failures} pulls in a row failed`}
            </strong>
            {source.lastError ? `: ${source.lastError}` : ""}
            {source.lastErrorAt ? ` (${at(source.lastErrorAt)})` : ""}
          </>
        )}
      </span>
    </div>
  );
}
