/**
 * Refusals of an import, before anything is written: a file with problems is a validation error naming the
 * first one (all of them in the details); a plan refused only for permissions is forbidden.
 */
import { ForbiddenError, ValidationError } from "@burnrate/contracts";
import { describeIssue, type ImportIssue, type ParsedOpenSlo } from "../parse";

export function refuseInvalidFile(parsed: ParsedOpenSlo): void {
  if (parsed.errors.length > 0)
    throw new ValidationError(
      parsed.errors.length === 1
        ? describeIssue(parsed.errors[0]!)
        : `${parsed.errors.length} problems; the first: ${describeIssue(parsed.errors[0]!)}`,
      { errors: parsed.errors, warnings: parsed.warnings },
    );
}

/** Refuses a file with problems of its plan or, planned all the same, of the file itself (all of them, by document). */
export function refuseFailedPlan(
  planErrors: ImportIssue[],
  warnings: string[],
  fileErrors: ImportIssue[] = [],
): void {
  const errors = [...fileErrors, ...planErrors].sort((a, b) => a.document - b.document);
  if (errors.length > 0) {
    const first = errors[0]!;
    const msg = `document ${first.document} (${first.kind} ${first.name}): field ${first.field}: ${first.message}`;
    if (fileErrors.length === 0 && errors.every((e) => /cannot|only org admins/.test(e.message)))
      throw new ForbiddenError(msg);
    throw new ValidationError(errors.length === 1 ? msg : `${errors.length} problems; the first: ${msg}`, {
      errors,
      warnings,
    });
  }
}
