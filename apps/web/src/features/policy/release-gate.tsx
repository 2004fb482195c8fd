import { useState } from "react";
import { useReleaseGate } from "../../api";
import { ErrorText } from "../../components/error-text";

/** Ask the release gate for one service and region, as a pipeline would. */
export function ReleaseGateCheck({
  team,
  service: fixedService,
  regions,
}: {
  team?: string;
  service?: string;
  regions?: string[];
}) {
  const [service, setService] = useState(fixedService ?? "");
  const [chosen, setChosen] = useState("");
  const region = chosen || regions?.[0] || ""; // the first region once the list has loaded
  const gate = useReleaseGate(service, region);
  return (
    <div className="gate" aria-label={`Release gate${team ? ` of team ${team}` : ""}`}>
      <div className="inline-form">
        {!fixedService && (
          <label>
            Service{" "}
            <GateInput label="Gate service" value={service} onChange={setService} placeholder="checkout" />
          </label>
        )}
        <label>
          Region{" "}
          {regions && regions.length > 0 ? (
            <select value={region} onChange={(e) => setChosen(e.target.value)} aria-label="Gate region">
              {regions.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          ) : (
            <GateInput label="Gate region" value={region} onChange={setChosen} placeholder="prod-eu" />
          )}
        </label>
      </div>
      {gate.data && (
        <div className={`banner ${gate.data.allowed ? "" : "bad"}`} role="status" data-testid="gate-answer">
          <strong>{gate.data.allowed ? "Deployments allowed" : "Release freeze"}</strong> ·{" "}
          {gate.data.silverBulletsLeft} silver bullet(s) left this year
          {gate.data.reasons.length > 0 && (
            <ul>
              {gate.data.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <ErrorText error={gate.error} />
    </div>
  );
}

/** A slug typed by hand: surrounding spaces are dropped as it is typed. */
function GateInput({
  label,
  value,
  onChange,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  placeholder: string;
}) {
  return (
    <input
      value={value}
      onChange={(e) => onChange(e.target.value.trim())}
      aria-label={label}
      placeholder={placeholder}
    />
  );
}
