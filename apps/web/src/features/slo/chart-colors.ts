/** The chart colours; danger is the same red as the app's "bad" states. */
export const CHART_COLORS = {
  danger: "#c92a2a",
  dangerFill: "#ff8787",
  budget: "#2f9e44",
  budgetFill: "#b2f2bb",
  sli: "#1c7ed6",
  objective: "#d9480f",
  burnLong: "#e8590c",
  burnShort: "#5f3dc4",
  ticket: "#e67700",
  grid: "#e5e7eb",
  period: "#868e96",
  maintenance: "#fab005",
  marker: {
    deployment: "#7048e8",
    game_day: "#0c8599",
    comment: "#868e96",
    maintenance: "#e67700",
    mixed: "#7048e8",
  },
} as const;
