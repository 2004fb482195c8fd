/**
 * YAML text → OpenSLO documents: several YAML documents, each one document or a list of them, numbered from 1.
 * Syntax errors, control characters and a broken envelope (apiVersion, kind, metadata.name, spec) are reported
 * with the document's index; v1alpha documents are rewritten to v1.
 */
import { parseAllDocuments } from "yaml";
import { BAD_IN_NAME, findControlCharacter } from "../../control-characters";
import { NAME_RE } from "../model";
import { KINDS, isObj, type Doc, type Obj } from "./document";
import { Ctx } from "./issues";
import { checkKnownKeys, kindsOf } from "./known-keys";
import type { ParsedOpenSlo } from "./types";
import { fromV1alpha } from "./v1alpha";

const printable = (s: string) => s.replace(new RegExp(BAD_IN_NAME.source, "g"), "?");

/** The documents of the file whose envelope is sound; `out.documents` becomes the number of documents seen. */
export function readDocuments(text: string, out: ParsedOpenSlo): Doc[] {
  const docs: Doc[] = [];
  let index = 0;
  for (const yd of parseAllDocuments(text, { prettyErrors: true })) {
    if (!("errors" in yd)) continue;
    if (yd.errors.length > 0) {
      index++;
      const e = yd.errors[0]!;
      const at = e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "";
      out.errors.push({
        document: index,
        kind: "?",
        name: "?",
        field: "(yaml)",
        message: `${e.message.split("\n")[0]}${at}`,
      });
      continue;
    }
    let js: unknown;
    try {
      js = yd.toJS();
    } catch (e) {
      index++;
      out.errors.push({
        document: index,
        kind: "?",
        name: "?",
        field: "(yaml)",
        message: (e as Error).message,
      });
      continue;
    }
    if (js === null || js === undefined) continue;
    for (const item of Array.isArray(js) ? js : [js]) {
      index++;
      // YAML escapes ("\0", "\x00", "\u0000") decode to control characters, which no field may hold.
      const hostile = findControlCharacter(item, "$");
      if (hostile) {
        const meta = item as { kind?: unknown; metadata?: { name?: unknown } } | null;
        out.errors.push({
          document: index,
          kind: typeof meta?.kind === "string" ? printable(meta.kind) : "?",
          name: typeof meta?.metadata?.name === "string" ? printable(meta.metadata.name) : "?",
          field: hostile.field.replace(/^\$\.?/, "") || "(document)",
          message: `contains the control character ${hostile.char}; NUL and other control characters are not allowed`,
        });
        continue;
      }
      const d = readDoc(item, index, out);
      if (d) docs.push(d);
    }
  }
  out.documents = index;
  if (index === 0)
    out.errors.push({
      document: 0,
      kind: "?",
      name: "?",
      field: "(yaml)",
      message: "the file holds no OpenSLO documents",
    });
  return docs;
}

function readDoc(item: unknown, index: number, out: ParsedOpenSlo): Doc | null {
  const guessName =
    isObj(item) && isObj(item.metadata) && typeof item.metadata.name === "string" ? item.metadata.name : "?";
  const guessKind = isObj(item) && typeof item.kind === "string" ? item.kind : "?";
  const c = new Ctx({ document: index, kind: guessKind, name: guessName }, out);
  if (!isObj(item)) return c.err("(document)", "must be a mapping with apiVersion, kind, metadata and spec");
  const apiVersion = item.apiVersion;
  if (apiVersion !== "openslo/v1" && apiVersion !== "openslo/v1alpha")
    return c.err(
      "apiVersion",
      `must be 'openslo/v1' or 'openslo/v1alpha', not ${JSON.stringify(apiVersion ?? null)}`,
    );
  if (typeof item.kind !== "string" || !KINDS.includes(item.kind))
    return c.err("kind", `must be one of ${KINDS.join(", ")}, not ${JSON.stringify(item.kind ?? null)}`);
  if (!kindsOf(apiVersion).includes(item.kind))
    return c.err(
      "kind",
      `${apiVersion} has no kind ${item.kind} (it has ${kindsOf(apiVersion).join(", ")}); use openslo/v1`,
    );
  if (!isObj(item.metadata)) return c.err("metadata", "is required (a mapping with a name)");
  const name = item.metadata.name;
  if (typeof name !== "string" || !NAME_RE.test(name) || name.length > 63)
    return c.err(
      "metadata.name",
      `must be an RFC 1123 name of at most 63 lowercase letters, digits, '-' and '.' (got ${JSON.stringify(name ?? null)})`,
    );
  if (item.spec !== undefined && !isObj(item.spec)) return c.err("spec", "must be a mapping");
  checkKnownKeys(item, apiVersion, item.kind, c); // the file is refused; the document is still read, for more
  const d: Doc = {
    index,
    apiVersion,
    kind: item.kind,
    name,
    metadata: item.metadata,
    spec: (item.spec as Obj) ?? {},
  };
  // Labels Burnrate keeps: a Service's owning team (an SLO's region has its own warning).
  const kept = item.kind === "Service" ? ["team"] : item.kind === "SLO" ? ["region"] : [];
  const dropped = isObj(item.metadata.labels)
    ? Object.keys(item.metadata.labels).filter((k) => !kept.includes(k))
    : [];
  if (dropped.length > 0)
    c.warn(
      `metadata.labels.${dropped[0]}`,
      `ignored: Burnrate keeps no labels of ${item.kind} documents${item.kind === "Service" ? " but team (the owning team)" : ""}; dropped: ${dropped.join(", ")}`,
    );
  if (apiVersion === "openslo/v1alpha") fromV1alpha(d, c);
  return d;
}
