import type { OncallPosition, ScheduleResponse } from "@burnrate/contracts";
import { useShifts } from "../../api";
import { fmtTime } from "../../components/format";
import { QueryState } from "../../components/query-state";
import { toTimeline } from "./to-timeline";

/** One colour per member, in rotation order; people from outside the rotation (overrides) come after. */
const PALETTE = ["#4c6ef5", "#12b886", "#f59f00", "#e64980", "#7950f2", "#15aabf", "#fa5252", "#82c91e"];

/** The current period and the next three, one row per position; overrides and swaps are hatched. */
export function ScheduleTimeline({ schedule }: { schedule: ScheduleResponse }) {
  const shifts = useShifts(schedule.id);
  return (
    <QueryState query={shifts} what="the shifts">
      {(data) => {
        const members = schedule.layers.flatMap((l) => l.members.map((m) => m.email));
        const tl = toTimeline(data, schedule.positions as OncallPosition[], members);
        return (
          <div className="timeline" aria-label={`Timeline of ${schedule.name}`}>
            <div className="timeline-axis">
              <span className="timeline-label" />
              <div className="timeline-track">
                {tl.markers.map((m, i) => (
                  <span
                    key={m.key}
                    className="timeline-marker"
                    // a label ends where the next period starts (or at the track's end): never past the page
                    style={{
                      left: `${m.leftPct}%`,
                      maxWidth: `${(tl.markers[i + 1]?.leftPct ?? 100) - m.leftPct}%`,
                    }}
                    title={`${m.label} · ${fmtTime(m.startMs)}`}
                  >
                    {m.label}
                    <br />
                    <span className="muted small">{fmtTime(m.startMs)}</span>
                  </span>
                ))}
              </div>
            </div>
            {tl.rows.map((row) => (
              <div className="timeline-row" key={row.position} data-testid={`timeline-${row.position}`}>
                <span className="timeline-label">{row.label}</span>
                <div className="timeline-track">
                  {tl.markers.map((m) => (
                    <span key={m.key} className="timeline-grid" style={{ left: `${m.leftPct}%` }} />
                  ))}
                  {row.bars.map((b) => (
                    <span
                      key={b.key}
                      className={`timeline-bar ${b.source}`}
                      data-testid="shift"
                      data-source={b.source}
                      style={{
                        left: `${b.leftPct}%`,
                        width: `${b.widthPct}%`,
                        // a short shift keeps its true width: no padding to widen it over the next one
                        ...(b.widthPct > 4 ? {} : { padding: 0 }),
                        background: PALETTE[b.color % PALETTE.length],
                      }}
                      title={`${b.name} (${b.email}) ${fmtTime(b.startMs)} – ${fmtTime(b.endMs)}${
                        b.source === "rotation" ? "" : ` · ${b.source}`
                      }`}
                    >
                      {b.widthPct > 4 ? b.name : ""}
                    </span>
                  ))}
                </div>
              </div>
            ))}
            <p className="muted small">
              {fmtTime(tl.fromMs)} to {fmtTime(tl.toMs)}, in your time zone. Hatched bars are overrides and
              swaps; gaps are outside the schedule's active hours.
            </p>
          </div>
        );
      }}
    </QueryState>
  );
}
