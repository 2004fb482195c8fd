import { useState } from "react";
import { errorMessage, useSlackSettings, useSlackTest } from "../../api";
import { Kpi } from "../../components/kpi";
import { QueryState } from "../../components/query-state";

/** Whether the Slack bot token and interactivity are set, and a test message to a team's channel. */
export function Slack({ team }: { team: string }) {
  const slack = useSlackSettings();
  const slackTest = useSlackTest();
  const [result, setResult] = useState<string | null>(null);
  async function test() {
    try {
      const r = await slackTest.mutateAsync(team);
      setResult(`Test message posted to ${r.channel}.`);
    } catch (e) {
      setResult(`Test failed: ${errorMessage(e)}`);
    }
  }
  return (
    <section aria-label="Slack">
      <h2>Slack</h2>
      <QueryState query={slack} what="Slack status">
        {(s) => (
          <div className="kpis">
            <Kpi
              label="Bot token"
              value={s.configured ? "configured" : "not set"}
              valueTestId="slack-configured"
              sub={s.message}
              tone={s.configured ? undefined : "bad"}
            />
            <Kpi
              label="Interactivity"
              value={s.signingSecretConfigured ? "verified" : "off"}
              sub={<code>{s.interactivityUrl}</code>}
            />
          </div>
        )}
      </QueryState>
      <p>
        <button type="button" onClick={() => void test()} disabled={!team}>
          Send a test message to {team || "a team"}&apos;s channel
        </button>{" "}
        {result && <span role="status">{result}</span>}
      </p>
    </section>
  );
}
