/**
 * An AlertPolicy's one condition (a conditionRef to an AlertCondition of the file, or inline) → one Burnrate
 * alert tier: severity, burn-rate threshold over the lookback window, short window, and budget share.
 */
import { DAY_MS, MINUTE_MS, tierFactor } from "@burnrate/slo-core";
import { nominalPeriodDays, parseMinutes, type TierSpec, type WindowSpec } from "../model";
import { ann } from "./annotations";
import { isObj, ref, type ParseScope, type Part } from "./document";
import { Ctx } from "./issues";
import { readTargets } from "./notification-target";

/** An AlertPolicy, with the name its tier gets unless the annotation burnrate.io/tier names it. */
export interface PolicyPart extends Part {
  name: string;
}

export function readTier(
  p: PolicyPart,
  service: string,
  window: WindowSpec | null,
  scope: ParseScope,
): TierSpec | null {
  const { c, prefix } = p;
  if (!readPolicyFlags(p)) return null;
  const conds = p.spec.conditions;
  if (!Array.isArray(conds) || conds.length !== 1)
    return c.err(
      `${prefix}spec.conditions`,
      "an AlertPolicy has exactly one condition (one Burnrate alert tier)",
    );
  const ci = conds[0];
  let cd: Part;
  if (isObj(ci) && ci.conditionRef !== undefined) {
    const x = scope.get("AlertCondition", ci.conditionRef);
    if (!x)
      return c.err(
        `${prefix}spec.conditions[0].conditionRef`,
        `no AlertCondition named ${JSON.stringify(ci.conditionRef)} in this file`,
      );
    cd = { metadata: x.metadata, spec: x.spec, c: new Ctx(ref(x), scope.out), prefix: "" };
  } else if (isObj(ci) && isObj(ci.spec)) {
    cd = {
      metadata: isObj(ci.metadata) ? ci.metadata : {},
      spec: ci.spec,
      c,
      prefix: `${prefix}spec.conditions[0].`,
    };
  } else
    return c.err(`${prefix}spec.conditions[0]`, "must be {conditionRef: name} or an inline AlertCondition");
  const sev = cd.spec.severity;
  if (sev !== "page" && sev !== "ticket")
    return cd.c.err(
      `${cd.prefix}spec.severity`,
      `must be 'page' or 'ticket' (got ${JSON.stringify(sev ?? null)})`,
    );
  const cond = cd.spec.condition;
  if (!isObj(cond))
    return cd.c.err(
      `${cd.prefix}spec.condition`,
      "is required: {kind: burnrate, op, threshold, lookbackWindow}",
    );
  const cp = `${cd.prefix}spec.condition`;
  if (cond.kind !== "burnrate")
    return cd.c.err(`${cp}.kind`, `must be 'burnrate' (got ${JSON.stringify(cond.kind ?? null)})`);
  if (cond.op === "lt" || cond.op === "lte")
    cd.c.warn(
      `${cp}.op`,
      `'${cond.op}' read as 'gt': a burn-rate tier fires when the burn rate is above the threshold`,
    );
  else if (cond.op !== "gt" && cond.op !== "gte")
    return cd.c.err(`${cp}.op`, `must be gt or gte (got ${JSON.stringify(cond.op ?? null)})`);
  const threshold = cond.threshold;
  if (typeof threshold !== "number" || !(threshold > 0))
    return cd.c.err(`${cp}.threshold`, "must be a positive burn-rate factor");
  const long = parseMinutes(cond.lookbackWindow);
  if (long === null || long < 1 || long > 43_200)
    return cd.c.err(
      `${cp}.lookbackWindow`,
      `must be a duration from 1m to 30d such as 1h (got ${JSON.stringify(cond.lookbackWindow ?? null)})`,
    );
  const after = cond.alertAfter;
  if (after !== undefined) {
    const afterMin = parseMinutes(after);
    if (afterMin === null)
      return cd.c.err(`${cp}.alertAfter`, `must be a duration such as 5m (got ${JSON.stringify(after)})`);
    if (afterMin > 0)
      cd.c.warn(
        `${cp}.alertAfter`,
        `${String(after)} is not waited for: a Burnrate tier fires at the first minute its windows burn above the threshold (add a short window with burnrate.io/short-window to require the burn to persist)`,
      );
  }
  const a = (k: string) => ann(p.metadata, k) ?? ann(cd.metadata, k);
  const sw = a("short-window");
  let short: number | null;
  // One lookback window is one window: no short window is made up.
  if (sw === undefined || sw === "none") short = null;
  else {
    short = parseMinutes(sw);
    if (short === null || short < 1 || short > long)
      return c.err(
        `${prefix}metadata.annotations.burnrate.io/short-window`,
        `must be 'none' or a duration no longer than the lookback window (got '${sw}')`,
      );
  }
  if (!readTargets(p, service, scope)) return null;
  const bpS = a("budget-percent") ?? a("budget-consumed-percent");
  const name = (a("tier") ?? p.name).slice(0, 64);
  const base = {
    name,
    severity: sev,
    longWindowMinutes: long,
    shortWindowMinutes: short,
    enabled: true,
  } as const;
  if (bpS === undefined) return { ...base, factor: threshold };
  const bp = Number(bpS);
  if (!(bp > 0 && bp <= 100))
    return c.err(
      `${prefix}metadata.annotations.burnrate.io/budget-percent`,
      `must be a percentage above 0 and at most 100 (got '${bpS}')`,
    );
  if (window) {
    const derived = tierFactor(bp / 100, nominalPeriodDays(window) * DAY_MS, long * MINUTE_MS);
    if (Math.abs(derived - threshold) > 0.01 * derived)
      cd.c.warn(
        `${cp}.threshold`,
        `${threshold} differs from ${derived} (${bp}% of the budget in ${String(cond.lookbackWindow)}); the budget share is kept`,
      );
  }
  return { ...base, budgetPercent: bp };
}

/**
 * An AlertPolicy's alertWhen… flags. A Burnrate tier alerts when breaching and posts the resolution of what it
 * posted; missing data is the SLO's own no-data alert, not a tier's.
 */
function readPolicyFlags(p: PolicyPart): boolean {
  const { c, prefix, spec } = p;
  for (const k of ["alertWhenBreaching", "alertWhenResolved", "alertWhenNoData"] as const)
    if (spec[k] !== undefined && typeof spec[k] !== "boolean")
      return !!c.err(`${prefix}spec.${k}`, `must be true or false (got ${JSON.stringify(spec[k])})`);
  if (spec.alertWhenBreaching === false)
    return !!c.err(
      `${prefix}spec.alertWhenBreaching`,
      "false is not supported: a Burnrate alert tier alerts when the burn rate breaches its threshold",
    );
  if (spec.alertWhenResolved === false)
    c.warn(
      `${prefix}spec.alertWhenResolved`,
      "false is not followed: Burnrate posts the resolution of every alert it posted",
    );
  if (spec.alertWhenNoData === true)
    c.warn(
      `${prefix}spec.alertWhenNoData`,
      "true is not a tier's: Burnrate raises the SLO's own no-data alert after 30 minutes without data (set burnrate.io/no-data-minutes on the SLO to change it)",
    );
  return true;
}
