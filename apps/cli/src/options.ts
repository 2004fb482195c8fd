/** The command line: one command, flags with a value (`--flag value` or `--flag=value`) and switches. */

export const EXIT = { ok: 0, differences: 1, error: 2 } as const;

export const HELP = `usage: burnrate <command> [options]

commands:
  validate -f FILE   check the OpenSLO YAML locally and with a server dry-run
  diff -f FILE       show what apply would change on the server, field by field
  apply -f FILE      import the file (idempotent: a second apply changes nothing)
  export             print the server's SLOs as OpenSLO v1 YAML
  import sloth|pyrra -f FILE --prometheus URL [--team SLUG] [--dry-run]
                     import Sloth prometheus/v1 or Pyrra ServiceLevelObjective specs as
                     Prometheus-sourced SLOs (idempotent: a second import changes nothing)

options:
  -f, --file FILE    OpenSLO v1/v1alpha YAML ("-" reads stdin)
  --url URL          API base URL (env BURNRATE_URL, default http://127.0.0.1:8080)
  --token TOKEN      API token (env BURNRATE_TOKEN); write scope for apply
  --service SLUG     export: only this service
  -o, --output FILE  export: write to FILE instead of stdout
  --reason TEXT      apply: the reason recorded in each changed SLO's version
  --prometheus URL   import: the Prometheus the SLIs are read from
  --team SLUG        import: team for services that do not exist yet
  --dry-run          import: only show the plan
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
  prometheus?: string;
  team?: string;
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
        else if (o.command !== undefined) throw new UsageError(`unexpected argument ${a}`);
        else o.command = a;
    }
  }
  return o;
}
