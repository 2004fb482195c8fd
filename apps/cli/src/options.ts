/** The command line: one command, flags with a value (`--flag value` or `--flag=value`) and switches. */

export const EXIT = { ok: 0, differences: 1, error: 2 } as const;

export const HELP = `usage: burnrate <command> [options]

commands:
  validate -f FILE   check the OpenSLO YAML locally and with a server dry-run
  diff -f FILE       show what apply would change on the server, field by field
  apply -f FILE      import the file (idempotent: a second apply changes nothing)
  export             print the server's SLOs as OpenSLO v1 YAML
  import sloth|pyrra -f FILE --prometheus URL [--team SLUG] [--dry-run]
                     import Sloth specs (prometheus/v1, its Kubernetes resource, or its OpenSLO
                     v1alpha input) or Pyrra ServiceLevelObjectives as Prometheus-sourced SLOs
                     (idempotent: a second import changes nothing)
  import-history -f FILE [--checkpoint FILE] [--restart] [--chunk-lines N] [--parallel N]
                     import request logs up to 450 days old (NDJSON, .gz accepted) into the
                     rollups, then backfill every SLO they touch; resumes after a crash
  secrets rotate [--batch-size N] [--dry-run]
                     re-seal every stored secret with BURNRATE_SECRET_KEY (those sealed with a key
                     of BURNRATE_SECRET_KEY_PREVIOUS, or stored in plain text), straight in the
                     database at DATABASE_URL; idempotent, so run it again after an interruption

options:
  -f, --file FILE    OpenSLO v1/v1alpha YAML ("-" reads stdin)
  --url URL          API base URL (env BURNRATE_URL, default http://127.0.0.1:8080)
  --token TOKEN      API token (env BURNRATE_TOKEN); write scope for apply, history:write for import-history
  --service SLUG     export: only this service
  -o, --output FILE  export: write to FILE instead of stdout
  --reason TEXT      apply: the reason recorded in each changed SLO's version
  --prometheus URL   import: the Prometheus the SLIs are read from
  --team SLUG        import: team for services that do not exist yet
  --dry-run          import: only show the plan; secrets rotate: count, write nothing
  --checkpoint FILE  import-history: where progress is kept (default FILE.import-checkpoint.json)
  --restart          import-history: ignore the checkpoint and import the file as new
  --chunk-lines N    import-history: lines per chunk (default 100000)
  --parallel N       import-history: chunks in flight at once (default 4)
  --batch-size N     secrets rotate: rows read per batch (default 500)
  --exit-code        diff: exit 1 when there are differences
  --offline          validate: local checks only
  -v, --verbose      diff/apply: also list unchanged objects
  -h, --help

exit codes: 0 ok, 1 differences (diff --exit-code), 2 errors`;

export interface Opts {
  command: string | undefined;
  file?: string;
  url: string;
  token?: string;
  service?: string;
  output?: string;
  reason?: string;
  /** `import`'s format (sloth or pyrra) */
  format?: string;
  /** `secrets`' action (rotate) */
  action?: string;
  prometheus?: string;
  team?: string;
  checkpoint?: string;
  restart?: boolean;
  chunkLines?: number;
  parallel?: number;
  batchSize?: number;
  dryRun: boolean;
  exitCode: boolean;
  offline: boolean;
  verbose: boolean;
  help: boolean;
}

/** A mistake on the command line: reported with the help text. */
export class UsageError extends Error {}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Opts {
  const o: Opts = {
    command: undefined,
    url: env.BURNRATE_URL || "http://127.0.0.1:8080",
    ...(env.BURNRATE_TOKEN ? { token: env.BURNRATE_TOKEN } : {}),
    exitCode: false,
    dryRun: false,
    offline: false,
    verbose: false,
    help: false,
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || (v.startsWith("-") && v !== "-")) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] =
      a.startsWith("--") && a.includes("=")
        ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
        : [a, undefined];
    const take = (): string => inline ?? value(i++, flag);
    switch (flag) {
      case "-f":
      case "--file":
        o.file = take();
        break;
      case "--url":
        o.url = take();
        break;
      case "--token":
        o.token = take();
        break;
      case "--service":
        o.service = take();
        break;
      case "-o":
      case "--output":
        o.output = take();
        break;
      case "--reason":
        o.reason = take();
        break;
      case "--exit-code":
        o.exitCode = true;
        break;
      case "--prometheus":
        o.prometheus = take();
        break;
      case "--team":
        o.team = take();
        break;
      case "--dry-run":
        o.dryRun = true;
        break;
      case "--checkpoint":
        o.checkpoint = take();
        break;
      case "--restart":
        o.restart = true;
        break;
      case "--chunk-lines":
        o.chunkLines = count(flag, take(), 1, 1_000_000);
        break;
      case "--parallel":
        o.parallel = count(flag, take(), 1, 16);
        break;
      case "--batch-size":
        o.batchSize = count(flag, take(), 1, 100_000);
        break;
      case "--offline":
        o.offline = true;
        break;
      case "-v":
      case "--verbose":
        o.verbose = true;
        break;
      case "-h":
      case "--help":
        o.help = true;
        break;
      default:
        if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
        if (o.command === "import" && o.format === undefined) o.format = a;
        else if (o.command === "secrets" && o.action === undefined) o.action = a;
        else if (o.command !== undefined) throw new UsageError(`unexpected argument ${a}`);
        else o.command = a;
    }
  }
  return o;
}

/** A whole number from `min` to `max`, or a UsageError naming the flag. */
function count(flag: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max)
    throw new UsageError(`${flag} must be a whole number ${min}-${max}`);
  return n;
}
