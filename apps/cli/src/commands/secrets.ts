import {
  createDb,
  createSecretBox,
  previousSecretKeysSettingProblem,
  rotateSecrets,
  secretKeySettingProblem,
  type RotationCounts,
} from "@burnrate/db";
import type { Io } from "../io";
import { EXIT, UsageError, type Opts } from "../options";

/** What `secrets` reads from the environment: the database and the keys, checked as the API checks them. */
export function secretsConfig(env: NodeJS.ProcessEnv): {
  databaseUrl: string;
  key: string;
  previousKeys: string | undefined;
} {
  const problems: string[] = [];
  if (!env.DATABASE_URL) problems.push("DATABASE_URL: not set (the database whose secrets are re-sealed)");
  if (!env.BURNRATE_SECRET_KEY)
    problems.push("BURNRATE_SECRET_KEY: not set (the key every secret is re-sealed with)");
  else {
    const p = secretKeySettingProblem(env.BURNRATE_SECRET_KEY, env.NODE_ENV);
    if (p) problems.push(p);
  }
  const previous = previousSecretKeysSettingProblem(
    env.BURNRATE_SECRET_KEY_PREVIOUS,
    env.BURNRATE_SECRET_KEY,
  );
  if (previous) problems.push(previous);
  if (problems.length) throw new Error(`invalid configuration:\n  ${problems.join("\n  ")}`);
  return {
    databaseUrl: env.DATABASE_URL!,
    key: env.BURNRATE_SECRET_KEY!,
    previousKeys: env.BURNRATE_SECRET_KEY_PREVIOUS,
  };
}

const summary = (c: RotationCounts) =>
  `${c.resealed} re-sealed, ${c.sealedPlain} sealed from plain text, ${c.alreadyCurrent} already current, ${c.unreadable.length} unreadable`;

/**
 * `burnrate secrets rotate`: re-seals every stored secret with the current key, in batches, straight in the
 * database. Prints a line per batch and the totals; the secrets no key opens are named by table and id (never
 * a value) and make it exit 2. Running it again resumes an interrupted run.
 */
export async function secrets(o: Opts, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  if (o.action !== "rotate")
    throw new UsageError(
      o.action ? `unknown secrets action '${o.action}'` : "secrets needs an action: rotate",
    );
  const cfg = secretsConfig(env);
  const box = createSecretBox(cfg.key, cfg.previousKeys);
  const db = createDb({ databaseUrl: cfg.databaseUrl, poolSize: 2 });
  try {
    const verb = o.dryRun ? "counting (dry run, nothing is written)" : "re-sealing";
    io.out(
      `${verb} stored secrets with key ${box.keyId} (previous keys: ${box.previousKeyIds.join(", ") || "none"})`,
    );
    const counts = await rotateSecrets(db, box, {
      ...(o.batchSize ? { batchSize: o.batchSize } : {}),
      dryRun: o.dryRun,
      onBatch: (p) => io.out(`${p.table}: batch ${p.batches}, ${p.rows} rows; so far ${summary(p)}`),
    });
    io.out(`${o.dryRun ? "would be" : "done"}: ${summary(counts)}`);
    for (const u of counts.unreadable) io.err(`unreadable: ${u.table} ${u.id}: ${u.reason}`);
    if (counts.unreadable.length > 0) {
      io.err(
        `burnrate: ${counts.unreadable.length} stored secrets open with no configured key and were left as they are: add the key they were sealed with to BURNRATE_SECRET_KEY_PREVIOUS, or set them again`,
      );
      return EXIT.error;
    }
    return EXIT.ok;
  } finally {
    await db.$disconnect();
  }
}
