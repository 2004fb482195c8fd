/**
 * The OpenSLO AlertNotificationTarget kind → Slack channels of teams: a target document names its team, and
 * each Slack target of an SLO's alert policy binds its channel to the team of the SLO's service.
 */
import { ann, optional, slackChannelOf } from "./annotations";
import { isObj, ref, type Doc, type Obj, type ParseScope, type Part } from "./document";
import type { DocRef, ParsedOpenSlo } from "./types";

/** A target document with the annotation burnrate.io/team binds its channel to that team. */
export function readNotificationTarget(d: Doc, out: ParsedOpenSlo): void {
  const team = ann(d.metadata, "team");
  const channel = slackChannelOf(d);
  if (team && channel) out.slack.push({ channel, team, source: ref(d) });
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
