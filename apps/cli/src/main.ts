/**
 * burnrate: SLO-as-code against the Burnrate API, with OpenSLO YAML files.
 *
 *   burnrate validate -f slos.yaml        local checks, then a server dry-run
 *   burnrate diff -f slos.yaml [--exit-code]
 *   burnrate apply -f slos.yaml [--reason "…"]
 *   burnrate export [--service slug] [-o file]
 *   burnrate import sloth|pyrra -f slos.yaml --prometheus URL [--team slug] [--dry-run]
 *   burnrate import-history -f logs.ndjson[.gz] [--checkpoint file] [--restart]
 *   burnrate secrets rotate [--batch-size N] [--dry-run]
 *
 * Connection: --url / BURNRATE_URL (default http://127.0.0.1:8080), --token / BURNRATE_TOKEN; `secrets` works on
 * the database itself (DATABASE_URL, with the keys of BURNRATE_SECRET_KEY and BURNRATE_SECRET_KEY_PREVIOUS).
 * Exit codes: 0 ok; 1 `diff --exit-code` found differences; 2 errors (invalid file, API refusal, network).
 * One file per command in commands/.
 */
import { ApiError } from "./api-client";
import { apply } from "./commands/apply";
import { diff } from "./commands/diff";
import { exportCmd } from "./commands/export";
import { importSpecs } from "./commands/import";
import { importHistory } from "./commands/import-history";
import { secrets } from "./commands/secrets";
import { validate } from "./commands/validate";
import type { Io } from "./io";
import { EXIT, HELP, UsageError, parseArgs, type Opts } from "./options";

export { EXIT } from "./options";
export { localProblems } from "./local-problems";

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: Io = { out: (s) => process.stdout.write(s + "\n"), err: (s) => process.stderr.write(s + "\n") },
): Promise<number> {
  let o: Opts;
  try {
    o = parseArgs(argv, env);
  } catch (e) {
    io.err(`burnrate: ${(e as Error).message}\n\n${HELP}`);
    return EXIT.error;
  }
  if (o.help || !o.command) {
    (o.help ? io.out : io.err)(HELP);
    return o.help ? EXIT.ok : EXIT.error;
  }
  try {
    switch (o.command) {
      case "validate":
        return await validate(o, io);
      case "diff":
        return await diff(o, io);
      case "apply":
        return await apply(o, io);
      case "export":
        return await exportCmd(o, io);
      case "import":
        return await importSpecs(o, io);
      case "import-history":
        return await importHistory(o, io);
      case "secrets":
        return await secrets(o, io, env);
      default:
        throw new UsageError(`unknown command '${o.command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) io.err(`burnrate: ${e.message}\n\n${HELP}`);
    else if (e instanceof ApiError) {
      io.err(`burnrate: ${e.message}`);
      for (const line of e.lines) io.err(`  ${line}`);
    } else io.err(`burnrate: ${(e as Error).message}`);
    return EXIT.error;
  }
}
