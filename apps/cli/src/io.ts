import { readFile } from "node:fs/promises";
import { UsageError, type Opts } from "./options";

/** Where a command writes its lines: results to `out`, problems, warnings and notes to `err`. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** The file of `-f` ("-" is stdin). */
export async function readInput(o: Opts): Promise<string> {
  if (!o.file) throw new UsageError(`${o.command} needs -f FILE`);
  if (o.file === "-") {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
  try {
    return await readFile(o.file, "utf8");
  } catch (e) {
    throw new Error(`cannot read ${o.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
