/** Burnrate annotations (burnrate.io/…, or the Workbook example's sreplatform.io/…) and Slack targets. */
import { ANN_PREFIXES } from "../model";
import { isObj, type Obj } from "./document";

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
