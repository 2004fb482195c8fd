import { readInput, type Io } from "../io";
import { localProblems } from "../local-problems";
import { EXIT, type Opts } from "../options";
import { plan, printPlan } from "../plan";

/** `burnrate diff -f FILE [--exit-code]`: what apply would change, field by field. */
export async function diff(o: Opts, io: Io): Promise<number> {
  const text = await readInput(o);
  const problems = localProblems(text);
  if (problems.length) {
    for (const p of problems) io.err(p);
    return EXIT.error;
  }
  const p = await plan(o, text, true);
  printPlan(p, io, o.verbose);
  io.out(p.changed ? `${p.message}` : "no differences");
  return p.changed && o.exitCode ? EXIT.differences : EXIT.ok;
}
