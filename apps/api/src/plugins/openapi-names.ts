/**
 * The names of an OpenAPI operation derived from its method and path, so that every route has them without
 * writing them: a stable `operationId` (`getSlosByIdStatus`), a short `summary` ("Get SLO status") and a tag
 * (the first path segment). A route's own `operationId`, `summary` or `tags` win.
 */

/** Path segments that only version the API: left out of the names. */
const PREFIX_SEGMENTS = new Set(["api", "v1"]);
/** Words written the way the product writes them. */
const WORDS: Record<string, string> = {
  slo: "SLO",
  slos: "SLOs",
  sla: "SLA",
  slas: "SLAs",
  openslo: "OpenSLO",
  ical: "iCal",
  oncall: "on-call",
  me: "my",
};

interface Segment {
  literal: string | null;
  param: string | null;
}

function segments(url: string): Segment[] {
  return url
    .split("/")
    .filter((s) => s && !PREFIX_SEGMENTS.has(s))
    .map((s) => {
      const param = /^[:{]([A-Za-z0-9_]+)}?$/.exec(s)?.[1] ?? null;
      return param ? { literal: null, param } : { literal: s, param: null };
    });
}

const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");

/** `get` + the path in PascalCase, parameters as `By<Name>`: `DELETE /api/v1/teams/:slug/members/:email` → `deleteTeamsBySlugMembersByEmail`. */
export function operationIdOf(method: string, url: string): string {
  const parts = segments(url).map((s) => (s.param ? `By${pascal(s.param)}` : pascal(s.literal!)));
  return method.toLowerCase() + parts.join("");
}

function singular(word: string): string {
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.endsWith("ss") || !word.endsWith("s")) return word;
  return word.slice(0, -1);
}

function words(literal: string, one: boolean): string {
  const w = one ? singular(literal) : literal;
  return w
    .split("-")
    .map((p) => WORDS[p] ?? p)
    .join(" ");
}

/**
 * "<Verb> <what>": what the path names, a segment followed by a parameter read as one item of it
 * ("/teams/:slug/members" → "team members"). GET of a collection lists it; POST answering 201 creates one.
 */
export function summaryOf(
  method: string,
  url: string,
  facts: { listsItems: boolean; creates: boolean },
): string {
  const segs = segments(url);
  const last = segs[segs.length - 1];
  const named = segs
    .map((s, i) => (s.literal ? words(s.literal, segs[i + 1]?.param != null) : null))
    .filter((w): w is string => w !== null);
  const m = method.toUpperCase();
  let text: string;
  if (!last || last.param) {
    const verb = { GET: "Get", PATCH: "Update", PUT: "Replace", DELETE: "Delete", POST: "Post to" }[m] ?? m;
    text = `${verb} ${named.join(" ")}`;
  } else if (m === "GET") {
    text = `${facts.listsItems ? "List" : "Get"} ${named.join(" ")}`;
  } else if (m === "POST" && facts.creates) {
    text = `Create ${[...named.slice(0, -1), words(last.literal!, true)].join(" ")}`;
  } else if (m === "POST") {
    // An action on what precedes it: "/alerts/:id/ack" → "Ack alert".
    const action = words(last.literal!, false);
    const on = named.slice(0, -1).join(" ");
    text = on ? `${action} ${on}` : action;
  } else {
    const verb = { PATCH: "Update", PUT: "Set", DELETE: "Delete" }[m] ?? m;
    text = `${verb} ${named.join(" ")}`;
  }
  // Capitalised, unless the first word is written otherwise on purpose ("iCal").
  return text.startsWith("iCal") ? text : text.charAt(0).toUpperCase() + text.slice(1);
}

/** The tag of a route without one: its first path segment ("slos", "teams", "traces"). */
export function tagOf(url: string): string {
  return segments(url)[0]?.literal ?? "root";
}
