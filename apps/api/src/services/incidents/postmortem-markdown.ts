import type { PostmortemResponse } from "@burnrate/contracts";

/** A table cell on one line: pipes escaped, line breaks as <br>. */
const cell = (v: string | number | null | undefined) =>
  v === null || v === undefined || v === ""
    ? "–"
    : String(v).replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
const pct = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(Math.abs(x) < 0.1 ? 2 : 1)}%`);
const utc = (iso: string | null) => (iso === null ? "–" : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`);
const STATUS: Record<PostmortemResponse["status"], string> = {
  draft: "Draft",
  in_review: "In review",
  published: "Published",
};

/** The template's sections (book §9.5.7) in the order the document gives them, with their headings. */
const SECTIONS: [keyof PostmortemResponse, string][] = [
  ["summary", "Summary"],
  ["customerImpact", "Customer impact"],
  ["trigger", "Trigger"],
  ["rootCauses", "Root causes"],
  ["detection", "Detection"],
  ["resolution", "Resolution"],
  ["wentWell", "What went well"],
  ["wentBadly", "What went badly"],
  ["gotLucky", "Where we got lucky"],
];

function table(head: string[], rows: (string | number | null)[][]): string[] {
  return [
    `| ${head.join(" | ")} |`,
    `|${head.map(() => " --- ").join("|")}|`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
}

/**
 * A postmortem as a Markdown document (book §9.5.7's template): the incident's facts, the written sections,
 * the budget consumed per SLO × region, the timeline and the action items. Sections are the authors' own
 * Markdown; every table cell is escaped so a pipe or a line break in the text cannot break a table.
 */
export function postmortemMarkdown(pm: PostmortemResponse): string {
  const i = pm.incident;
  const out: string[] = [`# ${pm.title.replace(/\r?\n/g, " ")}`, ""];
  out.push(
    ...table(
      ["Incident", "Priority", "Severity", "Started", "Detected", "Resolved", "Status", "Due"],
      [
        [
          `#${i.number} ${i.title}`,
          i.priority,
          i.severity,
          utc(i.startedAt),
          utc(i.detectedAt),
          utc(i.resolvedAt),
          STATUS[pm.status],
          utc(pm.dueAt),
        ],
      ],
    ),
    "",
    `Incident commander: ${cell(i.commander)} · Communications lead: ${cell(i.communicationsLead)} · Ops lead: ${cell(i.opsLead)}`,
    "",
  );
  for (const [key, heading] of SECTIONS) {
    const text = (pm[key] as string).trim();
    out.push(`## ${heading}`, "", text === "" ? "_Not written yet._" : text, "");
  }
  out.push("## Impact on the error budgets", "");
  if (pm.impact.length === 0) out.push("_No SLO of the affected services and regions._", "");
  else
    out.push(
      ...table(
        ["SLO", "Region", "Bad during the incident", "Budget consumed", "Budget left (before → after)"],
        pm.impact.map((r) => [
          `${r.service} · ${r.slo}`,
          r.region ?? "all",
          `${r.badDuring} ${r.unit}`,
          pct(r.consumedFraction),
          `${pct(r.remainingBefore)} → ${pct(r.remainingAfter)}`,
        ]),
      ),
      "",
      `From ${utc(pm.impact[0]!.from)} to ${utc(pm.impact[0]!.to)}.`,
      "",
    );
  out.push("## Timeline", "");
  if (pm.timeline.length === 0) out.push("_Empty._", "");
  else
    out.push(
      ...table(
        ["Time", "Kind", "What", "By"],
        pm.timeline.map((e) => [utc(e.at), e.kind, e.text, e.author]),
      ),
      "",
    );
  out.push("## Action items", "");
  if (pm.actionItems.length === 0) out.push("_None yet._", "");
  else
    out.push(
      ...table(
        ["Action", "Owner", "Due", "Priority", "State", "Link"],
        pm.actionItems.map((a) => [
          a.overdue ? `${a.title} (overdue)` : a.title,
          a.owner,
          a.dueDate,
          a.priority,
          a.state.replace("_", " "),
          a.link,
        ]),
      ),
      "",
    );
  return out.join("\n");
}
