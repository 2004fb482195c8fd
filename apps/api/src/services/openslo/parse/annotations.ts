/** Burnrate annotations (burnrate.io/…, or the Workbook example's sreplatform.io/…) and Slack targets. */
import { ANN_PREFIXES } from "../model";
import { isObj, type Doc, type Obj } from "./document";

export function ann(meta: Obj, key: string): string | undefined {
  if (!isObj(meta.annotations)) return undefined;
  for (const p of ANN_PREFIXES) {
    const v = meta.annotations[`${p}${key}`];
    if (v !== undefined && v !== null) return String(v);
  }
  return undefined;
}

/** The Slack channel of an AlertNotificationTarget: its annotation, or a `#channel` in its description. */
export function slackChannelOf(d: { metadata: Obj; spec: Obj }): string | undefined {
  if (d.spec.target !== undefined && String(d.spec.target).toLowerCase() !== "slack") return undefined;
  const a = ann(d.metadata, "slack-channel");
  if (a) return a.startsWith("#") ? a : `#${a}`;
  const m =
    typeof d.spec.description === "string" ? /#[a-z0-9][a-z0-9._-]{0,79}/.exec(d.spec.description) : null;
  return m?.[0];
}

export function optional<K extends string>(k: K, v: string | undefined): Partial<Record<K, string>> {
  return v === undefined ? {} : ({ [k]: v } as Record<K, string>);
}

/** A name: burnrate.io/name (the whole name, when displayName had to be cut to 63 characters), displayName, or metadata.name. */
export function fullName(d: Doc): string {
  const full = ann(d.metadata, "name");
  if (full) return full;
  return typeof d.metadata.displayName === "string" && d.metadata.displayName
    ? d.metadata.displayName
    : d.name;
}

/** A description: burnrate.io/description (the whole text, when spec.description had to be cut), or spec.description. */
export function fullDescription(d: Doc): string | null {
  const full = ann(d.metadata, "description");
  if (full !== undefined) return full;
  return d.spec.description === undefined || d.spec.description === null ? null : String(d.spec.description);
}

/** A Service's slug: burnrate.io/slug (a 64-character slug, longer than a DNS label), or metadata.name. */
export function serviceSlugOf(d: Doc): string {
  return ann(d.metadata, "slug") ?? d.name;
}
