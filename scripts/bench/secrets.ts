/**
 * Key rotation benchmark: `rotateSecrets` (what `burnrate secrets rotate` runs) over N receivers sealed with an
 * old key, re-sealed with a new one in batches of 500 (one transaction per row); then the same run again, where
 * every row is already current (what a resumed run pays for the rows done before it stopped).
 */
import { performance } from "node:perf_hooks";
import { createDb, createSecretBox, rotateSecrets } from "../../packages/db/src/index.ts";
import { createTestDatabase } from "../../packages/db/src/test-db.ts";

const PG = process.env.BURNRATE_TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export async function benchSecretRotation(rows: number): Promise<{
  rows: number;
  seconds: number;
  perSec: number;
  rerunSeconds: number;
}> {
  const t = await createTestDatabase(PG, "burnrate_bench");
  const db = createDb({ databaseUrl: t.databaseUrl, poolSize: 2 });
  try {
    const oldKey = Buffer.alloc(32, 1).toString("base64");
    const newKey = Buffer.alloc(32, 2).toString("base64");
    const team = await db.team.create({ data: { slug: "rotation", name: "Rotation" } });
    const old = createSecretBox(oldKey);
    for (let from = 0; from < rows; from += 5000)
      await db.receiver.createMany({
        data: Array.from({ length: Math.min(5000, rows - from) }, (_, i) => ({
          teamId: team.id,
          name: `r${from + i}`,
          kind: "pagerduty",
          severities: ["page"],
          secret: old.seal(`routing-key-${from + i}`),
        })),
      });
    const box = createSecretBox(newKey, oldKey);
    const t0 = performance.now();
    const first = await rotateSecrets(db, box);
    const t1 = performance.now();
    const again = await rotateSecrets(db, box);
    const t2 = performance.now();
    if (first.resealed !== rows || again.alreadyCurrent !== rows)
      throw new Error(`rotation counted ${first.resealed} re-sealed, then ${again.alreadyCurrent} current`);
    const seconds = (t1 - t0) / 1000;
    return { rows, seconds, perSec: rows / seconds, rerunSeconds: (t2 - t1) / 1000 };
  } finally {
    await db.$disconnect();
    await t.drop();
  }
}
