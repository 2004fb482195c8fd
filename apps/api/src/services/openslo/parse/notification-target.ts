/**
 * The OpenSLO AlertNotificationTarget kind → Slack channels of teams: a target document names its team, and
 * each Slack target of an SLO's alert policy binds its channel to the team of the SLO's service.
 */
import { ann, optional, slackChannelOf } from "./annotations";
import { isObj, ref, type Doc, type Obj, type ParseScope, type Part } from "./document";
import type { Ctx } from "./issues";
import type { DocRef, ParsedOpenSlo } from "./types";

/** A target document with the annotation burnrate.io/team binds its channel to that team. */
export function readNotificationTarget(d: Doc, c: Ctx, out: ParsedOpenSlo): void {
  checkTarget({ metadata: d.metadata, spec: d.spec }, c, "");
  const team = ann(d.metadata, "team");
  const channel = slackChannelOf(d);
  if (team && channel) out.slack.push({ channel, team, source: ref(d) });
}

/** Target kinds Burnrate delivers to: a Slack channel, or Burnrate's own alert list. */
export const BURNRATE_TARGET = "burnrate";

/** Warns about a target Burnrate does not deliver to, naming the field. */
function checkTarget(t: { metadata: Obj; spec: Obj }, c: Ctx, prefix: string): void {
  const target = t.spec.target;
  if (target !== undefined && typeof target !== "string") {
    c.err(`${prefix}spec.target`, `must be a string such as slack (got ${JSON.stringify(target)})`);
    return;
  }
  const kind = (target ?? "slack").toLowerCase();
  if (kind === BURNRATE_TARGET) return;
  if (kind !== "slack")
    c.warn(
      `${prefix}spec.target`,
      `'${target}' is not delivered by Burnrate: alerts go to the team's Slack channel and Burnrate's alert list`,
    );
  else if (!slackChannelOf(t))
    c.warn(
      `${prefix}spec.target`,
      "a Slack target without a channel: give the annotation burnrate.io/slack-channel or a #channel in spec.description; alerts go to the team's Slack channel set in Burnrate",
    );
}

/** Slack targets of a policy bind a channel to the team of the SLO's service. */
export function readTargets(p: Part, service: string, scope: ParseScope): boolean {
  const list = p.spec.notificationTargets ?? [];
  if (!Array.isArray(list)) return !!p.c.err(`${p.prefix}spec.notificationTargets`, "must be a list");
  for (const [i, item] of list.entries()) {
    const path = `${p.prefix}spec.notificationTargets[${i}]`;
    let t: { metadata: Obj; spec: Obj; source: DocRef };
    if (isObj(item) && item.targetRef !== undefined) {
      const d = scope.get("AlertNotificationTarget", item.targetRef);
      if (!d)
        return !!p.c.err(
          `${path}.targetRef`,
          `no AlertNotificationTarget named ${JSON.stringify(item.targetRef)} in this file`,
        );
      t = { metadata: d.metadata, spec: d.spec, source: ref(d) };
    } else if (isObj(item) && isObj(item.spec)) {
      t = { metadata: isObj(item.metadata) ? item.metadata : {}, spec: item.spec, source: p.c.doc };
      checkTarget(t, p.c, `${path}.`);
    } else return !!p.c.err(path, "must be {targetRef: name} or an inline AlertNotificationTarget");
    const channel = slackChannelOf(t);
    if (channel)
      scope.out.slack.push({
        channel,
        service,
        ...optional("team", ann(t.metadata, "team")),
        source: t.source,
      });
  }
  return true;
}
