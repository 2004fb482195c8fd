import { readInput, type Io } from "../io";
import { localProblems } from "../local-problems";
import { EXIT, type Opts } from "../options";
import { plan, printPlan } from "../plan";

/** `burnrate apply -f FILE [--reason TEXT]`: imports the file (a second apply changes nothing). */
export async function apply(o: Opts, io: Io): Promise<number> {
  const text = await readInput(o);
  const problems = localProblems(text);
  if (problems.length) {
    for (const p of problems) io.err(p);
    return EXIT.error;
  }
  const p = await plan(o, text, false);
  printPlan(p, io, o.verbose);
  io.out(p.message);
  return EXIT.ok;
}
