import type { ComponentStatus, PublicStatusResponse } from "@burnrate/contracts";

/** Text in HTML or XML, element content or a quoted attribute alike. */
export function escapeXml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const LABEL: Record<ComponentStatus, string> = {
  operational: "Operational",
  degraded: "Degraded performance",
  major_outage: "Major outage",
};
const OVERALL: Record<ComponentStatus, string> = {
  operational: "All systems operational",
  degraded: "Some systems are degraded",
  major_outage: "Some systems have a major outage",
};
const STATE_LABEL: Record<string, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};
const fmtPercent = (p: number | null) =>
  p === null ? "no data" : `${(Math.floor(p * 1000) / 1000).toFixed(3)}%`;
const fmtTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--none:#d0d7de;--on:#fff}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;--ok:#3fb950;--warn:#d29922;--bad:#f85149;--none:#30363d;--on:#0d1117}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:56rem;margin:0 auto;padding:1.5rem 1rem 3rem}h1{font-size:1.6rem;margin:0 0 1rem}h2{font-size:1.15rem;margin:2rem 0 .75rem}
.banner{padding:.9rem 1rem;border-radius:.5rem;color:var(--on);font-weight:600}.banner.operational{background:var(--ok)}.banner.degraded{background:var(--warn)}.banner.major_outage{background:var(--bad)}
ul{list-style:none;margin:0;padding:0}.component{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin-bottom:.75rem}
.row{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}.name{font-weight:600}
.status{font-weight:600}.status.operational{color:var(--ok)}.status.degraded{color:var(--warn)}.status.major_outage{color:var(--bad)}
.bars{display:flex;gap:1px;height:2rem;margin:.5rem 0 .25rem}.bars span{flex:1;border-radius:1px;background:var(--none)}
.bars .up{background:var(--ok)}.bars .dip{background:var(--warn)}.bars .down{background:var(--bad)}
.meta{display:flex;justify-content:space-between;color:var(--muted);font-size:.85rem}
.incident{border-left:4px solid var(--warn);padding:.25rem 0 .25rem 1rem;margin-bottom:1.25rem}.incident.major_outage{border-color:var(--bad)}.incident.resolved{border-color:var(--ok)}
.incident h3{margin:0 0 .25rem;font-size:1.05rem}.update{margin:.5rem 0}.update p{margin:.1rem 0}.when{color:var(--muted);font-size:.85rem}
footer{margin-top:2.5rem;color:var(--muted);font-size:.85rem}a{color:inherit}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

function dayClass(p: number | null): string {
  if (p === null) return "";
  if (p >= 99.9) return "up";
  if (p >= 99) return "dip";
  return "down";
}

/** The public status page: plain server-rendered HTML, readable without scripts, escaped throughout. */
export function renderStatusHtml(s: PublicStatusResponse): string {
  const e = escapeXml;
  const components = s.components
    .map((c) => {
      const bars = c.days
        .map(
          (d) =>
            `<span class="${dayClass(d.uptimePercent)}" title="${e(d.date)}: ${e(fmtPercent(d.uptimePercent))}"></span>`,
        )
        .join("");
      const uptime =
        c.uptime90dPercent === null ? "no uptime data" : `${fmtPercent(c.uptime90dPercent)} uptime`;
      return `<li class="component">
<div class="row"><span class="name">${e(c.name)}</span><span class="status ${c.status}">${LABEL[c.status]}</span></div>
<div class="bars" aria-hidden="true">${bars}</div>
<div class="meta"><span>90 days ago</span><span>${e(uptime)}</span><span>Today</span></div>
<p class="sr-only">${e(c.name)}: ${e(uptime)} over the last 90 days.</p>
</li>`;
    })
    .join("\n");
  const incidents =
    s.incidents.length === 0
      ? "<p>No incidents reported in the last 14 days.</p>"
      : s.incidents
          .map((i) => {
            const cls = i.state === "resolved" ? "resolved" : i.impact;
            const updates = [...i.updates]
              .reverse()
              .map(
                (
                  u,
                ) => `<li class="update"><p><strong>${e(STATE_LABEL[u.state ?? ""] ?? "Update")}</strong>: ${e(u.message)}</p>
<p class="when"><time datetime="${e(u.at)}">${e(fmtTime(u.at))}</time></p></li>`,
              )
              .join("\n");
            return `<article class="incident ${cls}" aria-labelledby="inc-${e(i.id)}">
<h3 id="inc-${e(i.id)}">${e(i.title)}</h3>
<p class="when">Affects ${e(i.components.join(", "))}. Started <time datetime="${e(i.startedAt)}">${e(fmtTime(i.startedAt))}</time>${
              i.resolvedAt
                ? `, resolved <time datetime="${e(i.resolvedAt)}">${e(fmtTime(i.resolvedAt))}</time>`
                : ""
            }.</p>
<ul>${updates}</ul>
</article>`;
          })
          .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(s.page.name)}: status</title>
<link rel="alternate" type="application/atom+xml" title="${e(s.page.name)} incidents" href="/status/${e(s.page.slug)}/feed.atom">
<link rel="alternate" type="application/json" href="/status/${e(s.page.slug)}.json">
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${e(s.page.name)}</h1>
<p class="banner ${s.status}" role="status">${OVERALL[s.status]}</p>
<section aria-labelledby="components-h"><h2 id="components-h">Components</h2>
<ul>
${components}
</ul></section>
<section aria-labelledby="incidents-h"><h2 id="incidents-h">Incidents</h2>
${incidents}
</section>
<footer>Updated <time datetime="${e(s.page.updatedAt)}">${e(fmtTime(s.page.updatedAt))}</time>.
<a href="/status/${e(s.page.slug)}/feed.atom">Atom feed</a> · <a href="/status/${e(s.page.slug)}.json">JSON</a></footer>
</main>
</body>
</html>
`;
}

/** The page's incidents as an Atom feed (RFC 4287): one entry per public update, newest first. */
export function renderStatusAtom(s: PublicStatusResponse): string {
  const e = escapeXml;
  const entries = s.incidents
    .flatMap((i) => i.updates.map((u, n) => ({ i, u, n, id: `${s.page.url}#incident-${i.id}-${n}` })))
    .sort((a, b) => b.u.at.localeCompare(a.u.at) || b.n - a.n)
    .map(
      ({ i, u, id }) => `  <entry>
    <id>${e(id)}</id>
    <title>${e(`${STATE_LABEL[u.state ?? ""] ?? "Update"}: ${i.title}`)}</title>
    <updated>${e(u.at)}</updated>
    <link rel="alternate" type="text/html" href="${e(s.page.url)}"/>
    <content type="text">${e(u.message)}</content>
  </entry>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${e(s.page.url)}</id>
  <title>${e(s.page.name)}: incidents</title>
  <updated>${e(s.page.updatedAt)}</updated>
  <author><name>${e(s.page.name)}</name></author>
  <link rel="self" type="application/atom+xml" href="${e(s.page.url)}/feed.atom"/>
  <link rel="alternate" type="text/html" href="${e(s.page.url)}"/>
${entries}
</feed>
`;
}
