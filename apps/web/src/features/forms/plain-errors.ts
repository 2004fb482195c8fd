import type { z } from "zod";
import { ApiError } from "../../api";

/** field path (e.g. `sli.thresholdMs`, `conditions.0.percent`) → a sentence in plain words */
export type FieldErrors = Record<string, string>;

/** Errors left once a field changes: its own, those under it (its rows' fields), and the form's are cleared. */
export const errorsWithout = (errors: FieldErrors, prefix: string): FieldErrors =>
  Object.fromEntries(
    Object.entries(errors).filter(([k]) => k !== "form" && k !== prefix && !k.startsWith(`${prefix}.`)),
  );

/**
 * A form's words for its fields: exact paths (`sli.thresholdMs`), or patterns with `*` standing for one
 * segment (`conditions.*.percent`). The label starts every message of its field.
 */
export type FieldLabels = Record<string, string>;

function labelOf(field: string, labels: FieldLabels): string | undefined {
  if (labels[field]) return labels[field];
  const parts = field.split(".");
  for (const [pattern, label] of Object.entries(labels)) {
    const p = pattern.split(".");
    if (p.length === parts.length && p.every((seg, i) => seg === "*" || seg === parts[i])) return label;
  }
  return undefined;
}

/** "objectivePercent" → "Objective percent": a fallback for a field the form has no words for. */
function humanize(field: string): string {
  const last =
    field
      .split(".")
      .filter((s) => !/^\d+$/.test(s))
      .pop() ?? field;
  const words = last.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const TYPE_WORDS: Record<string, string> = {
  number: "a number",
  string: "text",
  boolean: "yes or no",
  array: "a list",
  object: "filled in",
};

/** The sentences zod writes when a schema gives none. */
const ZOD_DEFAULT = /^(Too (small|big)|Invalid|Unrecognized)/;

/** One zod issue in words a person reads: "Objective must be below 100%", not "objectivePercent must be…". */
function issueWords(issue: z.core.$ZodIssue, label: string): string {
  // a contract's own sentence says more than the generic words: kept, with the field's label
  if (!ZOD_DEFAULT.test(issue.message)) return plainSentence(issue.message, label);
  const unit = label.endsWith("(%)") || /percent|objective/i.test(label) ? "%" : "";
  const name = label.replace(/\s*\(.*\)$/, "");
  switch (issue.code) {
    case "invalid_type":
      // zod leaves the input out of its issues: its sentence says what it received
      return /received undefined/.test(issue.message) || issue.input === ""
        ? `${name} is required`
        : `${name} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case "too_small":
      if (issue.origin === "string")
        return Number(issue.minimum) <= 1
          ? `${name} is required`
          : `${name} needs at least ${issue.minimum} characters`;
      if (issue.origin === "array")
        return `${name} needs at least ${issue.minimum} ${Number(issue.minimum) === 1 ? "entry" : "entries"}`;
      return `${name} must be ${issue.inclusive ? "at least" : "above"} ${issue.minimum}${unit}`;
    case "too_big":
      if (issue.origin === "string") return `${name} is too long (at most ${issue.maximum} characters)`;
      if (issue.origin === "array") return `${name} has too many entries (at most ${issue.maximum})`;
      return `${name} must be ${issue.inclusive ? "at most" : "below"} ${issue.maximum}${unit}`;
    case "invalid_format":
      if (issue.format === "url")
        return `${name} must be a web address such as https://wiki.example.com/runbook`;
      if (issue.format === "email") return `${name} must be an email address such as dana@example.com`;
      if (issue.format === "date") return `${name} must be a date`;
      if (issue.format === "datetime") return `${name} must be a date and time`;
      return plainSentence(issue.message, name);
    case "invalid_value":
      return `${name}: choose one of the choices`;
    case "unrecognized_keys":
      return `${name} has fields the API does not know: ${issue.keys.join(", ")}`;
    default:
      return plainSentence(issue.message, name);
  }
}

/**
 * A contract's or the API's own sentence with the internal name replaced by the label: "objectivePercent must
 * be below 100: …" → "Objective must be below 100%: …"; "must be lowercase…" → "Slug must be lowercase…".
 */
export function plainSentence(message: string, label: string): string {
  const m = zodDefault(message)
    .replace(/^(body|query|params) field '[^']*':\s*/, "")
    .replace(/^[a-z]+[A-Z][A-Za-z]*\b\s*/, "")
    .replace(/\bmust be (below|above|at most|at least) (\d+(?:\.\d+)?)(?!%)/, (_a, w: string, n: string) =>
      /objective|percent|%/i.test(label) ? `must be ${w} ${n}%` : `must be ${w} ${n}`,
    );
  if (/^required\b/i.test(m)) return `${label.replace(/\s*\(.*\)$/, "")} is required`;
  const name = label.replace(/\s*\(.*\)$/, "");
  if (/^(must|is|needs)\b/i.test(m)) return `${name} ${m}`;
  // a parser's sentence ("expected ')' but found the end at position 17"): said of the field
  if (/^expected\b/i.test(m)) return `${name}: ${m}`;
  return m.charAt(0).toUpperCase() + m.slice(1);
}

/** Zod's default sentences ("Too small: expected number to be >0") as the words the forms use. */
function zodDefault(message: string): string {
  const bound =
    /^Too (small|big): expected (number|string|array) to (?:be|have) ([<>]=?)(\d+(?:\.\d+)?)/.exec(message);
  if (bound) {
    const [, , origin, op, n] = bound;
    if (origin === "string")
      return op!.startsWith(">")
        ? Number(n) <= 1
          ? "is required"
          : `needs at least ${n} characters`
        : `is too long (at most ${n} characters)`;
    const words = { ">": "above", ">=": "at least", "<": "below", "<=": "at most" }[op!] ?? op!;
    return `must be ${words} ${n}`;
  }
  if (/^Invalid input: expected (\w+), received undefined/.test(message)) return "is required";
  const type = /^Invalid input: expected (\w+)/.exec(message);
  if (type) return `must be ${TYPE_WORDS[type[1]!] ?? type[1]}`;
  if (/^Invalid (URL|url)/.test(message))
    return "must be a web address such as https://wiki.example.com/runbook";
  if (/^Invalid email/.test(message)) return "must be an email address such as dana@example.com";
  return message;
}

/** The first issue of each field, in the form's words. */
export function errorsFromIssues(issues: readonly z.core.$ZodIssue[], labels: FieldLabels): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) {
    const field = i.path.join(".") || "form";
    if (out[field]) continue;
    out[field] = issueWords(i, labelOf(field, labels) ?? humanize(field));
  }
  return out;
}

/**
 * A refused write's field messages, in the form's words. A failure that names no field (a 409, a 403, the API
 * unreachable) is under `form`, as the API's own sentence.
 */
export function errorsFromApi(error: unknown, labels: FieldLabels): FieldErrors {
  if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
    const out: FieldErrors = {};
    for (const [field, message] of Object.entries(error.fields))
      out[field] = plainSentence(message, labelOf(field, labels) ?? humanize(field));
    return out;
  }
  return { form: error instanceof Error ? error.message : String(error) };
}
