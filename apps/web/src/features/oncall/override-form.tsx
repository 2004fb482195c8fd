import type { OncallPosition, ScheduleResponse } from "@burnrate/contracts";
import { useState, type FormEvent } from "react";
import { useAddOverride } from "../../api";
import { ErrorText } from "../../components/error-text";
import { POSITION_LABEL } from "./to-timeline";

/** "YYYY-MM-DDTHH:MM" of a datetime-local field, read in the browser's zone. */
const localInput = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/** Someone covers a position for a while, e.g. while the main is at the dentist. */
export function OverrideForm({ schedules }: { schedules: ScheduleResponse[] }) {
  const add = useAddOverride();
  const [scheduleId, setScheduleId] = useState(schedules[0]?.id ?? "");
  const [position, setPosition] = useState<OncallPosition>("main");
  const [email, setEmail] = useState("");
  const [from, setFrom] = useState(() => localInput(Date.now()));
  const [to, setTo] = useState(() => localInput(Date.now() + 4 * 3600_000));
  const [reason, setReason] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const schedule = schedules.find((s) => s.id === scheduleId) ?? schedules[0];
  function submit(e: FormEvent) {
    e.preventDefault();
    add.reset();
    setDone(null);
    if (!schedule) return;
    add
      .mutateAsync({
        id: schedule.id,
        body: {
          position,
          email,
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          ...(reason ? { reason } : {}),
        },
      })
      .then(
        (o) =>
          setDone(`${o.name} holds ${POSITION_LABEL[o.position]} until ${new Date(o.to).toLocaleString()}`),
        () => {},
      );
  }
  return (
    <form className="form" onSubmit={submit} aria-label="New override">
      <h3>Override</h3>
      <div className="field">
        <label htmlFor="o-schedule">Schedule</label>
        <select id="o-schedule" value={schedule?.id ?? ""} onChange={(e) => setScheduleId(e.target.value)}>
          {schedules.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor="o-position">Position</label>
          <select
            id="o-position"
            value={position}
            onChange={(e) => setPosition(e.target.value as OncallPosition)}
          >
            {((schedule?.positions ?? ["main"]) as OncallPosition[]).map((p) => (
              <option key={p} value={p}>
                {POSITION_LABEL[p]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="o-email">Who (email)</label>
          <input
            id="o-email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
        </div>
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor="o-from">From</label>
          <input id="o-from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="o-to">To</label>
          <input id="o-to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="o-reason">Reason</label>
        <input id="o-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <ErrorText error={add.error} />
      {done && (
        <p className="muted" role="status">
          {done}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={add.isPending || !schedule}>
          Add override
        </button>
      </div>
    </form>
  );
}
