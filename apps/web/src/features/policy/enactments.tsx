import type { EnactmentResponse, PolicyResponse } from "@burnrate/contracts";
import type { z } from "zod";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { usePolicyWrites } from "../../api";
import { DataTable } from "../../components/data-table";
import { ErrorText } from "../../components/error-text";
import { StatusBadge } from "../../components/status-badge";
import { describeEnactmentDetail } from "./describe-policy";

/** What the policy enacted (automatically or by decision), closing a manual one, and enacting a manual condition. */
export function Enactments({
  team,
  policy,
  rows,
}: {
  team: string;
  policy: PolicyResponse;
  rows: z.infer<typeof EnactmentResponse>[];
}) {
  const { enact, close } = usePolicyWrites(team);
  const manual = policy.conditions.filter((c) => c.type === "manual");
  function onEnact(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    close.reset();
    enact.mutate({ conditionId: String(f.get("conditionId")), reason: String(f.get("reason")) });
  }
  function onClose(id: string) {
    const reason = window.prompt("Why does this end?");
    if (reason) close.mutate({ id, reason });
  }
  return (
    <section aria-label="Enactments">
      <h2>Enactments</h2>
      {rows.length === 0 ? (
        <p className="muted">
          Nothing enacted
          {policy.inForce ? " — no condition has been true." : " — the policy is not in force."}
        </p>
      ) : (
        <DataTable
          label="Enactments"
          rows={rows}
          rowKey={(e) => e.id}
          rowProps={() => ({ "data-testid": "enactment-row" })}
          columns={[
            {
              header: "Condition",
              cell: (e) => (
                <>
                  <code>{e.conditionId}</code>
                  {e.manual ? " (manual)" : ""}
                </>
              ),
            },
            {
              header: "SLO",
              cell: (e) => (e.slo ? <Link to={`/slos/${e.slo.id}`}>{e.slo.name}</Link> : "whole team"),
            },
            { header: "Region", cell: (e) => e.region ?? "all" },
            { header: "Opened", cell: (e) => new Date(e.openedAt).toLocaleString() },
            {
              header: "Closed",
              cell: (e) =>
                e.closedAt ? (
                  new Date(e.closedAt).toLocaleString()
                ) : (
                  <StatusBadge tone="firing">open</StatusBadge>
                ),
            },
            { header: "Why", className: "small", cell: (e) => e.reason ?? describeEnactmentDetail(e.detail) },
            {
              cell: (e) => e.manual && !e.closedAt && <button onClick={() => onClose(e.id)}>Close</button>,
            },
          ]}
        />
      )}
      {manual.length > 0 && (
        <form className="inline-form" onSubmit={onEnact} aria-label="Enact a manual condition">
          <label>
            Condition{" "}
            <select name="conditionId" aria-label="Manual condition">
              {manual.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.id}
                </option>
              ))}
            </select>
          </label>
          <label>
            Reason <input name="reason" required minLength={3} />
          </label>
          <button type="submit" disabled={enact.isPending}>
            Enact
          </button>
        </form>
      )}
      <ErrorText error={enact.error ?? close.error} />
    </section>
  );
}
