import type { ScheduleResponse, SwapResponse } from "@burnrate/contracts";
import { useState, type FormEvent } from "react";
import {
  ApiError,
  errorMessage,
  useAcceptSwap,
  useDeclineSwap,
  useMe,
  useRequestSwap,
  useShifts,
  useSwaps,
} from "../../api";
import { ErrorText } from "../../components/error-text";
import { fmtTime } from "../../components/format";
import { POSITION_LABEL } from "./to-timeline";

/** "YYYY-MM-DDTHH:MM" of a datetime-local field, read in the browser's zone. */
const localInput = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/** A refused swap in plain words: a 409 says why it cannot be, anything else as the API says it. */
function swapError(error: unknown): string | null {
  if (!error) return null;
  if (error instanceof ApiError && error.status === 409) return `This swap cannot be done: ${error.message}`;
  return errorMessage(error);
}

type Person = { email: string; name: string };

/** Everyone on the schedule's rotations, once each, in rotation order. */
function rotationPeople(schedule: ScheduleResponse): Person[] {
  const seen = new Map<string, Person>();
  for (const l of schedule.layers) for (const m of l.members) if (!seen.has(m.email)) seen.set(m.email, m);
  return [...seen.values()];
}

/**
 * A schedule's shift swaps: a member asks for someone to take their shifts over a span (picked from their
 * coming shifts, or typed), a colleague on the rotation takes an open request, and the timeline then shows the
 * new holder. An editor of the schedule's team can do either for someone else.
 */
export function SwapsPanel({ schedule }: { schedule: ScheduleResponse }) {
  const swaps = useSwaps(schedule.id);
  const [asking, setAsking] = useState(false);
  const open = (swaps.data ?? []).filter((s) => s.state === "open");
  const accepted = (swaps.data ?? []).filter((s) => s.state === "accepted");
  const declined = (swaps.data ?? []).filter((s) => s.state === "declined");
  return (
    <div className="oncall-overrides" aria-label={`Swaps of ${schedule.name}`} role="region">
      <div className="oncall-card-head">
        <h3>Swaps</h3>
        <button type="button" onClick={() => setAsking((a) => !a)}>
          {asking ? "Close" : "Request a swap"}
        </button>
      </div>
      {asking && <SwapRequestForm schedule={schedule} onDone={() => setAsking(false)} />}
      {open.length === 0 && accepted.length === 0 && declined.length === 0 && !asking && (
        <p className="muted small">No swaps asked for.</p>
      )}
      <ul className="swap-list">
        {open.map((s) => (
          <OpenSwap key={s.id} schedule={schedule} swap={s} />
        ))}
        {accepted.map((s) => (
          <li key={s.id} aria-label={`Swap of ${s.requester.name}`} data-state="accepted">
            <strong>{s.acceptor?.name ?? "someone"}</strong> takes {s.requester.name}'s shifts{" "}
            {fmtTime(Date.parse(s.from))} – {fmtTime(Date.parse(s.to))}{" "}
            <span className="muted">(accepted{s.note ? ` · ${s.note}` : ""})</span>
          </li>
        ))}
        {declined.map((s) => (
          <li key={s.id} aria-label={`Swap of ${s.requester.name}`} data-state="declined">
            <strong>{s.declinedBy?.name ?? s.colleague?.name ?? "the colleague"}</strong> declined to take{" "}
            {s.requester.name}'s shifts {fmtTime(Date.parse(s.from))} – {fmtTime(Date.parse(s.to))}{" "}
            <span className="muted">(declined{s.note ? ` · ${s.note}` : ""})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * An open request: who asks, for when, and who takes it: the colleague it names (who can also decline it), or
 * any colleague of the rotation.
 */
function OpenSwap({ schedule, swap }: { schedule: ScheduleResponse; swap: SwapResponse }) {
  const me = useMe();
  const accept = useAcceptSwap();
  const decline = useDeclineSwap();
  const colleagues = swap.colleague
    ? [swap.colleague]
    : rotationPeople(schedule).filter((p) => p.email !== swap.requester.email);
  const mine = colleagues.some((p) => p.email === me.data?.email) ? (me.data?.email ?? "") : "";
  const [who, setWho] = useState(mine || colleagues[0]?.email || "");
  const id = `swap-${swap.id}-who`;
  const busy = accept.isPending || decline.isPending;
  return (
    <li aria-label={`Swap of ${swap.requester.name}`} data-state="open">
      <strong>{swap.requester.name}</strong>{" "}
      {swap.colleague ? (
        <>
          asks <strong>{swap.colleague.name}</strong> to take their shifts{" "}
        </>
      ) : (
        "asks for someone to take their shifts "
      )}
      {fmtTime(Date.parse(swap.from))} – {fmtTime(Date.parse(swap.to))}
      {swap.note ? <span className="muted"> · {swap.note}</span> : null}
      <span className="inline-form">
        <label htmlFor={id}>Taken by</label>
        <select id={id} value={who} onChange={(e) => setWho(e.target.value)} disabled={!!swap.colleague}>
          {colleagues.map((p) => (
            <option key={p.email} value={p.email}>
              {p.name}
              {p.email === me.data?.email ? " (me)" : ""}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="primary"
          disabled={busy || !who}
          onClick={() => {
            accept.reset();
            decline.reset();
            accept.mutate({ scheduleId: schedule.id, swapId: swap.id, acceptor: who });
          }}
        >
          Accept
        </button>
        {swap.colleague && (
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              accept.reset();
              decline.reset();
              // The signed-in person declines: only the colleague asked can.
              decline.mutate({ scheduleId: schedule.id, swapId: swap.id });
            }}
          >
            Decline
          </button>
        )}
      </span>
      <ErrorText error={swapError(accept.error ?? decline.error)} />
    </li>
  );
}

/** Asks for a swap: whose shifts (the signed-in person by default), one of their coming shifts or a span. */
function SwapRequestForm({ schedule, onDone }: { schedule: ScheduleResponse; onDone: () => void }) {
  const me = useMe();
  const shifts = useShifts(schedule.id);
  const ask = useRequestSwap();
  const people = rotationPeople(schedule);
  const [requester, setRequester] = useState(
    people.some((p) => p.email === me.data?.email) ? (me.data?.email ?? "") : (people[0]?.email ?? ""),
  );
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [note, setNote] = useState("");
  const [colleague, setColleague] = useState("");
  const theirs = (shifts.data?.shifts ?? []).filter(
    (s) => s.email === requester && Date.parse(s.end) > Date.now(),
  );
  const pick = (key: string) => {
    const s = theirs.find((x) => `${x.position}-${x.start}` === key);
    if (!s) return;
    setFrom(localInput(Math.max(Date.parse(s.start), Date.now())));
    setTo(localInput(Date.parse(s.end)));
  };
  const p = `swap-${schedule.id}`;
  function submit(e: FormEvent) {
    e.preventDefault();
    ask.reset();
    ask
      .mutateAsync({
        scheduleId: schedule.id,
        body: {
          requester,
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          ...(colleague ? { colleague } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        },
      })
      .then(onDone, () => {}); // shown below
  }
  return (
    <form className="form" onSubmit={submit} aria-label={`Request a swap on ${schedule.name}`}>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${p}-requester`}>Whose shifts</label>
          <select id={`${p}-requester`} value={requester} onChange={(e) => setRequester(e.target.value)}>
            {people.map((x) => (
              <option key={x.email} value={x.email}>
                {x.name}
                {x.email === me.data?.email ? " (me)" : ""}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${p}-shift`}>Shift</label>
          <select id={`${p}-shift`} value="" onChange={(e) => pick(e.target.value)}>
            <option value="">choose one to fill the span…</option>
            {theirs.map((s) => (
              <option key={`${s.position}-${s.start}`} value={`${s.position}-${s.start}`}>
                {POSITION_LABEL[s.position]} {fmtTime(Date.parse(s.start))} – {fmtTime(Date.parse(s.end))}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${p}-from`}>From</label>
          <input
            id={`${p}-from`}
            type="datetime-local"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor={`${p}-to`}>To</label>
          <input
            id={`${p}-to`}
            type="datetime-local"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            required
          />
        </div>
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${p}-colleague`}>Ask</label>
          <select id={`${p}-colleague`} value={colleague} onChange={(e) => setColleague(e.target.value)}>
            <option value="">anyone on the rotation</option>
            {people
              .filter((x) => x.email !== requester)
              .map((x) => (
                <option key={x.email} value={x.email}>
                  {x.name}
                  {x.email === me.data?.email ? " (me)" : ""}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${p}-note`}>Note</label>
          <input id={`${p}-note`} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
      </div>
      <ErrorText error={swapError(ask.error)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={ask.isPending || !requester}>
          Ask for a swap
        </button>
      </div>
    </form>
  );
}
