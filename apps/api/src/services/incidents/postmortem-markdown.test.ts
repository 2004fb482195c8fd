import type { PostmortemResponse } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { postmortemMarkdown } from "./postmortem-markdown";

const base: PostmortemResponse = {
  id: "pm1",
  incident: {
    id: "i1",
    number: 7,
    title: "Uploads | fail",
    priority: "P1",
    severity: "critical",
    startedAt: "2020-12-10T15:00:00.000Z",
    detectedAt: "2020-12-10T15:02:00.000Z",
    resolvedAt: "2020-12-10T15:29:30.000Z",
    commander: "ic@example.com",
    communicationsLead: null,
    opsLead: null,
  },
  status: "draft",
  required: true,
  title: "Incident 7: Uploads | fail",
  summary: "Uploads failed.\n\n- a list the author wrote",
  customerImpact: "",
  trigger: "",
  rootCauses: "",
  resolution: "",
  detection: "",
  wentWell: "",
  wentBadly: "",
  gotLucky: "",
  timeline: [{ at: "2020-12-10T15:00:00.000Z", kind: "opened", text: "a | b\nsecond line", author: null }],
  impact: [],
  actionItems: [
    {
      id: "a1",
      title: "Canary | check",
      owner: "ops@example.com",
      dueDate: "2020-12-09",
      priority: "P1",
      state: "in_work",
      link: null,
      overdue: true,
      createdAt: "2020-12-10T18:00:00.000Z",
      updatedAt: "2020-12-10T18:00:00.000Z",
    },
  ],
  wordingHints: [],
  dueAt: "2020-12-13T15:29:30.000Z",
  overdue: false,
  publishedAt: null,
  createdBy: "x",
  createdAt: "2020-12-10T15:29:30.000Z",
  updatedAt: "2020-12-10T15:29:30.000Z",
};

describe("postmortemMarkdown", () => {
  const md = postmortemMarkdown(base);
  const lines = md.split("\n");

  it("keeps a pipe or a line break in a cell from breaking its table", () => {
    expect(lines).toContain("| 2020-12-10 15:00 UTC | opened | a \\| b<br>second line | – |");
    expect(lines).toContain(
      "| Canary \\| check (overdue) | ops@example.com | 2020-12-09 | P1 | in work | – |",
    );
    expect(lines[4]).toBe(
      "| #7 Uploads \\| fail | P1 | critical | 2020-12-10 15:00 UTC | 2020-12-10 15:02 UTC | 2020-12-10 15:29 UTC | Draft | 2020-12-13 15:29 UTC |",
    );
    // Every table line has as many unescaped pipes as its header.
    const cells = (l: string) => l.replace(/\\\|/g, "").split("|").length;
    for (const table of md.split("\n\n").filter((b) => b.startsWith("| "))) {
      const rows = table.trim().split("\n");
      for (const row of rows) expect(cells(row), row).toBe(cells(rows[0]!));
    }
  });

  it("keeps the authors' own Markdown in the sections and marks empty ones", () => {
    expect(md).toContain("## Summary\n\nUploads failed.\n\n- a list the author wrote\n");
    expect(md).toContain("## Root causes\n\n_Not written yet._\n");
    expect(md).toContain(
      "## Impact on the error budgets\n\n_No SLO of the affected services and regions._\n",
    );
    expect(md).toContain("Incident commander: ic@example.com · Communications lead: – · Ops lead: –");
  });
});
