import { writeFile } from "node:fs/promises";
import { api } from "../api-client";
import type { Io } from "../io";
import { EXIT, type Opts } from "../options";

/** `burnrate export [--service SLUG] [-o FILE]`: the server's SLOs as OpenSLO v1 YAML. */
export async function exportCmd(o: Opts, io: Io): Promise<number> {
  const q = o.service ? `?service=${encodeURIComponent(o.service)}` : "";
  const text = await (await api(o, "GET", `/api/v1/openslo/export${q}`)).text();
  if (o.output) {
    await writeFile(o.output, text);
    io.err(`wrote ${o.output}`);
  } else process.stdout.write(text);
  return EXIT.ok;
}
