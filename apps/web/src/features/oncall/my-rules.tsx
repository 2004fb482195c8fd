import { useEffect, useState } from "react";
import { useMyRules, useSaveMyRules, type NotificationRulesInput } from "../../api";
import { ErrorText } from "../../components/error-text";

const CHANNELS = [
  ["slack_dm", "Slack direct message"],
  ["email", "Email"],
] as const;
const SEVERITIES = ["page", "ticket"] as const;
const WORKDAYS = ["mon", "tue", "wed", "thu", "fri"] as const;
const EVERY_DAY = [...WORKDAYS, "sat", "sun"] as const;
type Days = "always" | "weekdays" | "every day";
interface Row {
  severities: Record<string, boolean>;
  days: Days;
  from: string;
  to: string;
}
type Grid = Record<string, Row>;
type Rule = NotificationRulesInput["rules"][number];

const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/**
 * "My notification rules": which channels reach me when an escalation step names me, by severity, and when
 * (always, or between two times on weekdays or every day, in my time zone).
 */
export function MyRules() {
  const rules = useMyRules();
  const save = useSaveMyRules();
  const [grid, setGrid] = useState<Grid>({});
  const [timeZone, setTimeZone] = useState(localZone());
  useEffect(() => {
    if (!rules.data) return;
    const g: Grid = {};
    for (const [c] of CHANNELS) {
      const r = rules.data.rules.find((x) => x.channel === c);
      const w = r?.hours?.windows[0];
      g[c] = {
        severities: Object.fromEntries(
          SEVERITIES.map((s) => [s, rules.data.defaults || !!r?.severities.includes(s)]),
        ),
        days: !w ? "always" : w.days.length === 7 ? "every day" : "weekdays",
        from: w?.from ?? "09:00",
        to: w?.to ?? "18:00",
      };
      if (r?.hours) setTimeZone(r.hours.timeZone);
    }
    setGrid(g);
  }, [rules.data]);
  const change = (c: string, patch: Partial<Row>) => setGrid((g) => ({ ...g, [c]: { ...g[c]!, ...patch } }));
  function submit() {
    save.mutate({
      rules: CHANNELS.flatMap(([c]): Rule[] => {
        const row = grid[c];
        const severities = SEVERITIES.filter((s) => row?.severities[s]);
        if (!row || severities.length === 0) return [];
        const days = row.days === "weekdays" ? [...WORKDAYS] : [...EVERY_DAY];
        const hours =
          row.days === "always" ? undefined : { windows: [{ days, from: row.from, to: row.to }], timeZone };
        return [{ channel: c, severities, ...(hours ? { hours } : {}) }];
      }),
    });
  }
  return (
    <section className="form" aria-label="My notification rules">
      <h3>My notification rules</h3>
      {rules.error ? (
        <ErrorText error={rules.error} />
      ) : Object.keys(grid).length === 0 ? (
        // not shown before the saved rules are in: a choice made earlier would be overwritten when they arrive
        <p className="muted" aria-busy="true">
          Loading your rules…
        </p>
      ) : (
        <>
          <table className="rules-grid">
            <thead>
              <tr>
                <th>Channel</th>
                {SEVERITIES.map((s) => (
                  <th key={s}>{s}</th>
                ))}
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {CHANNELS.map(([c, label]) => {
                const row = grid[c];
                return (
                  <tr key={c}>
                    <td>{label}</td>
                    {SEVERITIES.map((s) => (
                      <td key={s}>
                        <input
                          type="checkbox"
                          aria-label={`${label} for a ${s}`}
                          checked={!!row?.severities[s]}
                          onChange={() =>
                            change(c, { severities: { ...row?.severities, [s]: !row?.severities[s] } })
                          }
                        />
                      </td>
                    ))}
                    <td>
                      <select
                        aria-label={`${label}: when`}
                        value={row?.days ?? "always"}
                        onChange={(e) => change(c, { days: e.target.value as Days })}
                      >
                        <option value="always">Always</option>
                        <option value="weekdays">Weekdays</option>
                        <option value="every day">Every day</option>
                      </select>
                      {row && row.days !== "always" && (
                        <>
                          {" "}
                          <input
                            type="time"
                            aria-label={`${label}: from`}
                            value={row.from}
                            onChange={(e) => change(c, { from: e.target.value })}
                          />
                          {" – "}
                          <input
                            type="time"
                            aria-label={`${label}: to`}
                            value={row.to}
                            onChange={(e) => change(c, { to: e.target.value })}
                          />
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {Object.values(grid).some((r) => r.days !== "always") && (
            <label>
              Time zone of my hours{" "}
              <input
                aria-label="Time zone of my hours"
                value={timeZone}
                onChange={(e) => setTimeZone(e.target.value)}
              />
            </label>
          )}
          {rules.data?.defaults && <p className="muted">No rules yet: every channel is used for both.</p>}
          <ErrorText error={save.error} />
          <button type="button" onClick={submit} disabled={save.isPending}>
            Save my rules
          </button>
          {save.isSuccess && <span className="muted"> Saved.</span>}
        </>
      )}
    </section>
  );
}
