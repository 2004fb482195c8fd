import type { SloVersionResponse as Version } from "@burnrate/contracts";
import type { z } from "zod";

type SloVersion = z.infer<typeof Version>;
import { DataTable } from "../../components/data-table";

/** What changed in one version, field by field ("created" for the first). */
export function describeChanges(v: SloVersion): string {
  if (v.changes.length === 0) return "created";
  return v.changes
    .map((c) => `${c.field}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`)
    .join("; ");
}

/** The SLO's versions, newest first, with who changed what and why. */
export function VersionHistory({ versions, loading }: { versions: SloVersion[]; loading: boolean }) {
  return (
    <section aria-label="Version history">
      <h2>Versions</h2>
      {versions.length === 0 ? (
        <p className="muted">{loading ? "Loading…" : "No versions recorded."}</p>
      ) : (
        <DataTable
          scroll
          rows={[...versions].reverse()}
          rowKey={(v) => v.version}
          rowProps={() => ({ "data-testid": "version-row" })}
          columns={[
            { header: "Version", cell: (v) => <>v{v.version}</> },
            { header: "When", cell: (v) => new Date(v.createdAt).toLocaleString() },
            { header: "Author", cell: (v) => v.author },
            { header: "Reason", cell: (v) => v.reason },
            { header: "Changes", className: "small", cell: describeChanges },
          ]}
        />
      )}
    </section>
  );
}
