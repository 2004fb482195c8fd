export const fmtPercent = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined ? "no data" : `${(x * 100).toFixed(digits)}%`;
export const fmtBurn = (x: number | null | undefined) =>
  x === null || x === undefined ? "–" : `${x.toFixed(2)}×`;
export const fmtHours = (h: number | null | undefined) =>
  h === null || h === undefined
    ? "not burning"
    : h <= 0
      ? "exhausted"
      : h < 1
        ? `${Math.round(h * 60)} min`
        : h < 72
          ? `${h.toFixed(1)} h`
          : `${(h / 24).toFixed(1)} d`;
export const fmtTime = (ms: number) =>
  new Date(ms).toLocaleString(undefined, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
export const fmtDay = (ms: number) =>
  new Date(ms).toLocaleDateString(undefined, { month: "short", day: "numeric" });
