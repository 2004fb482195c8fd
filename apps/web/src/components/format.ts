export { formatPercent as fmtPercent, formatHours as fmtHours } from "@burnrate/contracts";
export const fmtBurn = (x: number | null | undefined) =>
  x === null || x === undefined ? "–" : `${x.toFixed(2)}×`;
export const fmtTime = (ms: number) =>
  new Date(ms).toLocaleString(undefined, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
export const fmtDay = (ms: number) =>
  new Date(ms).toLocaleDateString(undefined, { month: "short", day: "numeric" });
