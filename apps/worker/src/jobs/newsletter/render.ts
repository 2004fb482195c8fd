import { weekTrendArrow, type NewsletterContent, type NewsletterSloLine } from "@burnrate/contracts";
import { SLACK_LIMITS, escapeMrkdwn, fitMrkdwn } from "@burnrate/slack";

const PERCENT = 100;
/** SLO lines listed in one message (Slack: at most 50 blocks; the rest are counted). */
const MAX_LISTED = 30;

const pct = (v: number | null, digits = 2) => (v === null ? "no data" : `${(v * PERCENT).toFixed(digits)}%`);
const state = (l: NewsletterSloLine) => (l.met === null ? "no data" : l.met ? "met" : "broken");

export function newsletterTitle(c: NewsletterContent): string {
  return `Availability newsletter — ${c.scope.name}, week of ${c.week.firstDay}`;
}

/** One plain line per SLO (shared by the text email and the Slack fallback text). */
export function sloLine(l: NewsletterSloLine): string {
  return `${l.service} / ${l.name}: ${pct(l.weekSli, 3)}${weekTrendArrow(l)} (objective ${l.objectivePercent}%, ${state(l)}), week budget used ${pct(l.weekBudgetSpent, 1)}, period budget left ${pct(l.budgetRemaining, 1)}`;
}

/** The overdue postmortems and action items, one plain line each (none: no lines). */
export function overdueLines(c: NewsletterContent): string[] {
  return [
    ...c.overdue.postmortems.map(
      (p) => `Postmortem of incident ${p.incidentNumber}: ${p.title} (due ${p.dueAt.slice(0, 10)})`,
    ),
    ...c.overdue.actionItems.map(
      (a) =>
        `Action item of incident ${a.incidentNumber}: ${a.title} (due ${a.dueDate}, ${a.state.replace("_", " ")})`,
    ),
  ];
}
const OVERDUE_HEADING = "Overdue from postmortems";
/** The week's SLO changes and the policy reviews coming up, one plain line each. */
function changeLines(c: NewsletterContent): string[] {
  return c.changes.map((v) => `${v.service} / ${v.name}, version ${v.version}: ${v.reason}`);
}
function reviewLines(c: NewsletterContent): string[] {
  return c.policyReviews.map(
    (r) => `${r.team}: error budget policy review ${r.overdue ? "overdue since" : "due"} ${r.dueOn}`,
  );
}

function sloReviewLines(c: NewsletterContent): string[] {
  return c.sloReviews.map(
    (r) => `${r.service} / ${r.name}: SLO review ${r.overdue ? "overdue since" : "due"} ${r.dueOn}`,
  );
}

function summaryLine(c: NewsletterContent): string {
  return `${c.summary.met} of ${c.summary.slos} SLOs met their objective this week, ${c.summary.broken} broken, ${c.summary.noData} without data.`;
}

/** The plain text: the email's text part and the Slack message's fallback. */
export function newsletterText(c: NewsletterContent): string {
  const out = [
    newsletterTitle(c),
    `${c.week.firstDay} – ${c.week.lastDay} (${c.week.timeZone})`,
    "",
    summaryLine(c),
    "",
  ];
  if (c.worstBurns.length) {
    out.push("Worst burns:");
    for (const l of c.worstBurns) out.push(`- ${sloLine(l)}`);
    out.push("");
  }
  out.push("Incidents started this week:");
  if (c.incidents.length === 0) out.push("- none");
  for (const i of c.incidents)
    out.push(`- ${i.title}${i.severity ? ` (${i.severity})` : ""}${i.resolvedAt ? "" : " — open"}`);
  const overdue = overdueLines(c);
  if (overdue.length) {
    out.push("", `${OVERDUE_HEADING}:`);
    for (const l of overdue) out.push(`- ${l}`);
  }
  out.push("", "SLO changes this week:");
  if (c.changes.length === 0) out.push("- none");
  for (const line of changeLines(c)) out.push(`- ${line}`);
  out.push("", "Policy reviews coming up:");
  if (c.policyReviews.length === 0) out.push("- none");
  for (const line of reviewLines(c)) out.push(`- ${line}`);
  out.push("", "SLO reviews coming up:");
  if (c.sloReviews.length === 0) out.push("- none");
  for (const line of sloReviewLines(c)) out.push(`- ${line}`);
  out.push("", "All SLOs:");
  for (const l of c.slos) out.push(`- ${sloLine(l)}`);
  out.push("", "Shared awareness of where availability is short, not a ranking of people.", c.link);
  return out.join("\n");
}

/** Slack Block Kit blocks within Slack's limits (50 blocks, 3,000 characters a section, 150 a header). */
export function newsletterBlocks(c: NewsletterContent): Record<string, unknown>[] {
  const section = (text: string) => ({
    type: "section",
    text: { type: "mrkdwn", text: fitMrkdwn(text, SLACK_LIMITS.sectionText) },
  });
  const e = escapeMrkdwn;
  const blocks: Record<string, unknown>[] = [
    {
      type: "header",
      text: { type: "plain_text", text: newsletterTitle(c).slice(0, SLACK_LIMITS.headerText) },
    },
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: e(`${c.week.firstDay} – ${c.week.lastDay} (${c.week.timeZone})`) }],
    },
    section(`*${e(summaryLine(c))}*`),
  ];
  if (c.worstBurns.length)
    blocks.push(section(`*Worst burns*\n${c.worstBurns.map((l) => `• ${e(sloLine(l))}`).join("\n")}`));
  blocks.push(
    section(
      `*Incidents started this week*\n${
        c.incidents.length
          ? c.incidents
              .map(
                (i) =>
                  `• ${e(i.title)}${i.severity ? ` (${e(i.severity)})` : ""}${i.resolvedAt ? "" : " — open"}`,
              )
              .join("\n")
          : "• none"
      }`,
    ),
  );
  const overdue = overdueLines(c);
  if (overdue.length)
    blocks.push(section(`*${OVERDUE_HEADING}*\n${overdue.map((l) => `• ${e(l)}`).join("\n")}`));
  const bullets = (lines: string[]) => (lines.length ? lines.map((l) => `• ${e(l)}`).join("\n") : "• none");
  blocks.push(section(`*SLO changes this week*\n${bullets(changeLines(c))}`));
  blocks.push(section(`*Policy reviews coming up*\n${bullets(reviewLines(c))}`));
  blocks.push(section(`*SLO reviews coming up*\n${bullets(sloReviewLines(c))}`));
  blocks.push({ type: "divider" });
  const listed = c.slos.slice(0, MAX_LISTED);
  // SLO lines in sections of a few, each within the section limit
  for (let i = 0; i < listed.length; i += 10)
    blocks.push(
      section(
        listed
          .slice(i, i + 10)
          .map((l) => `• ${e(sloLine(l))}`)
          .join("\n"),
      ),
    );
  if (c.slos.length > listed.length) blocks.push(section(`… and ${c.slos.length - listed.length} more SLOs`));
  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: fitMrkdwn(
          `Shared awareness of where availability is short, not a ranking of people. <${c.link}|Open in Burnrate>`,
          SLACK_LIMITS.contextText,
        ),
      },
    ],
  });
  return blocks.slice(0, SLACK_LIMITS.blocks);
}

const html = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

/** A responsive HTML email (one column, fluid table, inline styles). */
export function newsletterHtml(c: NewsletterContent): string {
  const row = (l: NewsletterSloLine) =>
    `<tr><td style="padding:4px 6px;border-bottom:1px solid #eee">${html(l.service)} / ${html(l.name)}</td>` +
    `<td style="padding:4px 6px;border-bottom:1px solid #eee;text-align:right">${pct(l.weekSli, 3)}${weekTrendArrow(l)}</td>` +
    `<td style="padding:4px 6px;border-bottom:1px solid #eee;text-align:right">${l.objectivePercent}%</td>` +
    `<td style="padding:4px 6px;border-bottom:1px solid #eee;color:${l.met === false ? "#b00020" : "#1b5e20"}">${state(l)}</td>` +
    `<td style="padding:4px 6px;border-bottom:1px solid #eee;text-align:right">${pct(l.budgetRemaining, 1)}</td></tr>`;
  const table = (lines: NewsletterSloLine[]) =>
    `<table role="presentation" width="100%" style="border-collapse:collapse;font-size:13px"><tr style="text-align:left"><th>SLO</th><th>Week SLI</th><th>Objective</th><th>State</th><th>Budget left</th></tr>${lines.map(row).join("")}</table>`;
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${html(newsletterTitle(c))}</title></head>
<body style="margin:0;padding:0;font-family:system-ui,Arial,sans-serif;color:#222">
<div style="max-width:640px;margin:0 auto;padding:16px">
<h1 style="font-size:20px">${html(newsletterTitle(c))}</h1>
<p style="color:#555">${html(c.week.firstDay)} – ${html(c.week.lastDay)} (${html(c.week.timeZone)})</p>
<p><strong>${html(summaryLine(c))}</strong></p>
${c.worstBurns.length ? `<h2 style="font-size:16px">Worst burns</h2>${table(c.worstBurns)}` : ""}
<h2 style="font-size:16px">Incidents started this week</h2>
<ul>${c.incidents.length ? c.incidents.map((i) => `<li>${html(i.title)}${i.severity ? ` (${html(i.severity)})` : ""}${i.resolvedAt ? "" : " — open"}</li>`).join("") : "<li>none</li>"}</ul>
${
  overdueLines(c).length
    ? `<h2 style="font-size:16px">${OVERDUE_HEADING}</h2><ul>${overdueLines(c)
        .map((l) => `<li>${html(l)}</li>`)
        .join("")}</ul>`
    : ""
}
<h2 style="font-size:16px">SLO changes this week</h2>
<ul>${
    changeLines(c).length
      ? changeLines(c)
          .map((l) => `<li>${html(l)}</li>`)
          .join("")
      : "<li>none</li>"
  }</ul>
<h2 style="font-size:16px">Policy reviews coming up</h2>
<ul>${
    reviewLines(c).length
      ? reviewLines(c)
          .map((l) => `<li>${html(l)}</li>`)
          .join("")
      : "<li>none</li>"
  }</ul>
<h2 style="font-size:16px">SLO reviews coming up</h2>
<ul>${
    sloReviewLines(c).length
      ? sloReviewLines(c)
          .map((l) => `<li>${html(l)}</li>`)
          .join("")
      : "<li>none</li>"
  }</ul>
<h2 style="font-size:16px">All SLOs</h2>${table(c.slos)}
<p style="color:#666;font-size:12px">Shared awareness of where availability is short, not a ranking of people. <a href="${html(c.link)}">Open in Burnrate</a></p>
</div></body></html>`;
}
