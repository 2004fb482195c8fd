/**
 * The chart colours, as CSS variables (styles/base.css) so each follows the light or dark theme; SVG takes
 * `var()` in its fill and stroke. Danger is the app's "bad" vermilion, the budget its "healthy" blue: a pair
 * told apart with deuteranopia as well.
 */
const v = (name: string) => `var(--chart-${name})`;
export const CHART_COLORS = {
  danger: v("danger"),
  dangerFill: v("danger-fill"),
  budget: v("budget"),
  budgetFill: v("budget-fill"),
  sli: v("sli"),
  objective: v("objective"),
  burnLong: v("burn-long"),
  burnShort: v("burn-short"),
  ticket: v("ticket"),
  grid: v("grid"),
  period: v("period"),
  maintenance: v("maintenance"),
  /** chart text (labels on lines and ranges) and the zero line */
  text: "var(--fg-2)",
  axis: "var(--muted)",
  zero: "var(--fg)",
  /** the selection while dragging to zoom */
  selection: v("sli"),
  marker: {
    deployment: v("deployment"),
    game_day: v("game-day"),
    comment: v("comment"),
    maintenance: v("maintenance-marker"),
    mixed: v("deployment"),
  },
} as const;
