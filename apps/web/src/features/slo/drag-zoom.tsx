import { useState } from "react";
import { ReferenceArea, type MouseHandlerDataParam } from "recharts";
import { CHART_COLORS } from "./chart-colors";
import { zoomRange } from "./to-series";

const valueOf = (s: MouseHandlerDataParam) => (s.activeLabel === undefined ? null : Number(s.activeLabel));

/**
 * Drag across a time chart to zoom: the chart's mouse handlers, and the shaded selection to draw while dragging.
 * A drag shorter than `minSpanMs` (a click) zooms nothing. Without `onZoom` the chart does not zoom.
 */
export function useDragZoom(onZoom: ((from: number, to: number) => void) | undefined, minSpanMs: number) {
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  if (!onZoom) return { handlers: {}, selection: null, zoomable: false };
  const handlers = {
    onMouseDown: (s: MouseHandlerDataParam) => {
      const v = valueOf(s);
      if (v !== null) setDrag({ start: v, end: v });
    },
    onMouseMove: (s: MouseHandlerDataParam) => {
      const v = valueOf(s);
      if (drag && v !== null) setDrag({ ...drag, end: v });
    },
    onMouseUp: () => {
      const range = drag ? zoomRange(drag.start, drag.end, minSpanMs) : null;
      setDrag(null);
      if (range) onZoom(range[0], range[1]);
    },
    onMouseLeave: () => setDrag(null),
  };
  const selection =
    drag && drag.start !== drag.end ? (
      <ReferenceArea
        key="zoom"
        className="zoom-selection"
        x1={Math.min(drag.start, drag.end)}
        x2={Math.max(drag.start, drag.end)}
        fill={CHART_COLORS.selection}
        fillOpacity={0.15}
        stroke={CHART_COLORS.selection}
        strokeOpacity={0.4}
      />
    ) : null;
  return { handlers, selection, zoomable: true };
}
