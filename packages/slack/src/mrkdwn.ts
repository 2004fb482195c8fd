/**
 * Slack's mrkdwn: escaping of user text, and truncation that keeps a text within a Block Kit limit without
 * cutting an escape (`&amp;`), a link or a date token (`<…>`) or a surrogate pair in two.
 */

/** The limits of Block Kit that Burnrate's messages can reach (docs.slack.dev/reference/block-kit). */
export const SLACK_LIMITS = {
  /** A section's text object. */
  sectionText: 3000,
  /** Fields of a section: at most 10, each at most 2000 characters. */
  sectionFields: 10,
  sectionFieldText: 2000,
  /** A header's plain_text. */
  headerText: 150,
  /** A context block's elements, and each text element's text. */
  contextElements: 10,
  contextText: 3000,
  /** A button's text, value and url. */
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  /** block_id and action_id. */
  blockId: 255,
  /** Blocks in one message. */
  blocks: 50,
  /** Elements of an actions block. */
  actionsElements: 25,
  /** The top-level `text` of chat.postMessage / chat.update: Slack truncates longer texts. */
  messageText: 40_000,
} as const;

/** What a cut text ends with. */
export const ELLIPSIS = "…";

/** Escapes the three characters Slack reads as control characters in mrkdwn: `&`, `<` and `>`. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * A link in mrkdwn. The URL is escaped like text and its `|` percent-encoded, so a URL cannot close the link
 * early or carry a label of its own; the label is escaped text.
 */
export function mrkdwnLink(url: string, label: string): string {
  return `<${escapeMrkdwn(url).replace(/\|/g, "%7C")}|${escapeMrkdwn(label)}>`;
}

/**
 * Where `text` may be cut at or before `at` without splitting an escape (`&…;`), a `<…>` token or a surrogate
 * pair: the cut moves back to the start of whatever it would split.
 */
function safeCut(text: string, at: number): number {
  let cut = Math.max(0, Math.min(at, text.length));
  const head = text.slice(0, cut);
  const amp = head.lastIndexOf("&");
  if (amp >= 0 && !head.slice(amp).includes(";") && /^&[a-z]*$/.test(head.slice(amp))) cut = amp;
  const lt = text.lastIndexOf("<", cut - 1);
  if (lt >= 0 && text.lastIndexOf(">", cut - 1) < lt) cut = lt;
  const code = text.charCodeAt(cut - 1);
  if (cut > 0 && code >= 0xd800 && code <= 0xdbff) cut--;
  return cut;
}

/**
 * `text` (mrkdwn, already escaped) cut to at most `max` characters: when it is longer, it ends with `tail`
 * (an ellipsis, or an ellipsis and a link to the full text), which itself is never cut.
 */
export function fitMrkdwn(text: string, max: number, tail: string = ELLIPSIS): string {
  if (text.length <= max) return text;
  return text.slice(0, safeCut(text, max - tail.length)) + tail;
}

/** Plain text (a header, a button) cut to at most `max` characters with an ellipsis. */
export function fitPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - ELLIPSIS.length;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return text.slice(0, cut) + ELLIPSIS;
}
