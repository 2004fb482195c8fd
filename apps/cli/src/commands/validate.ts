import { readInput, type Io } from "../io";
import { localProblems } from "../local-problems";
import { EXIT, type Opts } from "../options";
import { plan } from "../plan";

/** `burnrate validate -f FILE [--offline]`: local checks, then a server dry run. */
export async function validate(o: Opts, io: Io): Promise<number> {
  const text = await readInput(o);
  const problems = localProblems(text);
  if (problems.length) {
    for (const p of problems) io.err(p);
    io.err(`${o.file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
    return EXIT.error;
  }
  if (o.offline) {
    io.out(`${o.file}: valid (local checks only)`);
    return EXIT.ok;
  }
  const p = await plan(o, text, true);
  for (const w of p.warnings) io.err(`warning: ${w}`);
  io.out(
    `${o.file}: valid; the server would ${p.changed ? p.message.replace(/^would /, "") : "change nothing"}`,
  );
  return EXIT.ok;
}
