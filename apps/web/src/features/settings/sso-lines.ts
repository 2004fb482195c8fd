import type { SsoGroupRole } from "@burnrate/contracts";

/** A mapping line as OIDC_GROUP_ROLES writes it: `group=team:editor`, `group=team:viewer` or `group=admin`. */
export function formatLine(l: SsoGroupRole): string {
  return l.role === "admin" ? `${l.group}=admin` : `${l.group}=${l.team ?? ""}:${l.role}`;
}

/** The textarea's lines as mapping lines, or the first line that is not one (numbered from 1). */
export function parseLines(text: string): SsoGroupRole[] | string {
  const out: SsoGroupRole[] = [];
  const lines = text.split("\n");
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^([^=\s,]+)\s*=\s*(?:(admin)|([a-z0-9][a-z0-9-]*):(editor|viewer))$/.exec(line);
    if (!m)
      return `line ${i + 1}: '${line}' is not 'group=team:editor', 'group=team:viewer' or 'group=admin'`;
    out.push(
      m[2]
        ? { group: m[1]!, role: "admin", team: null }
        : { group: m[1]!, role: m[4] as "editor" | "viewer", team: m[3]! },
    );
  }
  return out;
}
