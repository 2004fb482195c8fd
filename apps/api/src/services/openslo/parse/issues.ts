/** Problems and warnings of one document, each with its index, kind, name and field path. */
import type { DocRef, ImportIssue, ParsedOpenSlo } from "./types";

/** Records the errors and warnings of one document into the result. */
export class Ctx {
  constructor(
    readonly doc: DocRef,
    private readonly out: ParsedOpenSlo,
  ) {}
  err(field: string, message: string): null {
    this.out.errors.push({ ...this.doc, field, message });
    return null;
  }
  warn(field: string, message: string): void {
    this.out.warnings.push(
      `document ${this.doc.document} (${this.doc.kind} ${this.doc.name}): field ${field}: ${message}`,
    );
  }
}

/** One line per problem: "document 3 (SLO checkout-availability): field spec.objectives[0].target: …". */
export function describeIssue(i: ImportIssue): string {
  return `document ${i.document} (${i.kind} ${i.name}): field ${i.field}: ${i.message}`;
}
