import { useEffect, useState } from "react";
import { useMyRules, useSaveMyRules } from "../../api";
import { ErrorText } from "../../components/error-text";

const CHANNELS = [
  ["slack_dm", "Slack direct message"],
  ["email", "Email"],
] as const;
const SEVERITIES = ["page", "ticket"] as const;
type Grid = Record<string, Record<string, boolean>>;

/** "My notification rules": which channels reach me when an escalation step names me, by severity. */
export function MyRules() {
  const rules = useMyRules();
  const save = useSaveMyRules();
  const [grid, setGrid] = useState<Grid>({});
  useEffect(() => {
    if (!rules.data) return;
    const g: Grid = {};
    for (const [c] of CHANNELS) {
      const r = rules.data.rules.find((x) => x.channel === c);
      g[c] = Object.fromEntries(
        SEVERITIES.map((s) => [s, rules.data.defaults || !!r?.severities.includes(s)]),
      );
    }
    setGrid(g);
  }, [rules.data]);
  const flip = (c: string, s: string) => setGrid((g) => ({ ...g, [c]: { ...g[c], [s]: !g[c]?.[s] } }));
  function submit() {
    save.mutate({
      rules: CHANNELS.flatMap(([c]) => {
        const severities = SEVERITIES.filter((s) => grid[c]?.[s]);
        return severities.length ? [{ channel: c, severities }] : [];
      }),
    });
  }
  return (
    <section className="form" aria-label="My notification rules">
      <h3>My notification rules</h3>
      {rules.error ? (
        <ErrorText error={rules.error} />
      ) : (
        <>
          <table className="rules-grid">
            <thead>
              <tr>
                <th>Channel</th>
                {SEVERITIES.map((s) => (
                  <th key={s}>{s}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {CHANNELS.map(([c, label]) => (
                <tr key={c}>
                  <td>{label}</td>
                  {SEVERITIES.map((s) => (
                    <td key={s}>
                      <input
                        type="checkbox"
                        aria-label={`${label} for a ${s}`}
                        checked={!!grid[c]?.[s]}
                        onChange={() => flip(c, s)}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
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
