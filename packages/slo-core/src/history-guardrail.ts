/**
 * Editor preview: compares a proposed objective with the daily SLIs of the past (null = no data).
 * `stricterThanHistory` is true when not a single day with data reached the objective.
 * `daysBelowObjective` counts the days with data that would have missed it.
 */
export function historyGuardrail(
  objective: number,
  dailySlis: (number | null)[],
): {
  stricterThanHistory: boolean;
  bestSli: number | null;
  worstSli: number | null;
  daysBelowObjective: number;
} {
  let bestSli: number | null = null;
  let worstSli: number | null = null;
  let daysBelowObjective = 0;
  for (const s of dailySlis) {
    if (s === null || Number.isNaN(s)) continue;
    if (bestSli === null || s > bestSli) bestSli = s;
    if (worstSli === null || s < worstSli) worstSli = s;
    if (s < objective) daysBelowObjective += 1;
  }
  return {
    stricterThanHistory: bestSli !== null && bestSli < objective,
    bestSli,
    worstSli,
    daysBelowObjective,
  };
}
