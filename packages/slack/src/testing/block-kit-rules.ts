import { SLACK_LIMITS } from "../mrkdwn";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
const textOf = (v: unknown): string | null => (isObj(v) && typeof v.text === "string" ? v.text : null);

/**
 * What Slack would refuse (`invalid_blocks`) or read as a control sequence in a message: the length and count
 * limits of the blocks Burnrate sends, and mrkdwn that is not escaped. A `<` in mrkdwn may only open a link
 * (`<http…|label>`) or a date (`<!date^…|fallback>`); anything else (`<!channel>`, `<@U1>`, `<#C1>`) pings or
 * mentions. An `&` may only start `&amp;`, `&lt;` or `&gt;`. Returns one line per problem (empty: valid).
 * With `escaping: false`, only what Slack refuses is checked (the fake Slack answers `invalid_blocks` then).
 */
export function blockKitProblems(
  message: { text?: string; blocks?: unknown[] | null },
  opts: { escaping?: boolean } = {},
): string[] {
  const problems: string[] = [];
  const max = (what: string, value: string | null | undefined, limit: number) => {
    if (value != null && value.length > limit)
      problems.push(`${what}: ${value.length} > ${limit} characters`);
  };
  const mrkdwn = (what: string, value: string | null) => {
    if (value === null || opts.escaping === false) return;
    for (const m of value.matchAll(/<([^>]*)>?/g)) {
      const token = m[1]!;
      if (!m[0].endsWith(">")) problems.push(`${what}: unclosed "<" at ${m.index}`);
      else if (!/^(https?:\/\/[^|<]+|!date\^[^|<]+)(\|[^|<]*)?$/.test(token))
        problems.push(`${what}: control sequence <${token.slice(0, 40)}> at ${m.index}`);
    }
    for (const m of value.matchAll(/&(?!(amp|lt|gt);)/g)) problems.push(`${what}: bare "&" at ${m.index}`);
  };
  const textObject = (what: string, t: unknown, limit: number) => {
    if (!isObj(t)) return problems.push(`${what}: not a text object`);
    max(what, textOf(t), limit);
    if (t.type === "mrkdwn") mrkdwn(what, textOf(t));
  };
  if (message.text !== undefined) {
    max("text", message.text, SLACK_LIMITS.messageText);
    mrkdwn("text", message.text);
  }
  const blocks = message.blocks ?? [];
  if (blocks.length > SLACK_LIMITS.blocks) problems.push(`${blocks.length} blocks > ${SLACK_LIMITS.blocks}`);
  blocks.forEach((b, i) => {
    if (!isObj(b)) return problems.push(`block ${i}: not an object`);
    const at = `block ${i} (${String(b.type)})`;
    if (typeof b.block_id === "string") max(`${at} block_id`, b.block_id, SLACK_LIMITS.blockId);
    switch (b.type) {
      case "header":
        if (!isObj(b.text) || b.text.type !== "plain_text") problems.push(`${at}: text must be plain_text`);
        max(`${at} text`, textOf(b.text), SLACK_LIMITS.headerText);
        break;
      case "section": {
        if (b.text === undefined && b.fields === undefined) problems.push(`${at}: neither text nor fields`);
        if (b.text !== undefined) textObject(`${at} text`, b.text, SLACK_LIMITS.sectionText);
        if (b.fields !== undefined) {
          const fields = Array.isArray(b.fields) ? b.fields : [];
          if (fields.length > SLACK_LIMITS.sectionFields)
            problems.push(`${at}: ${fields.length} fields > ${SLACK_LIMITS.sectionFields}`);
          fields.forEach((f, j) => textObject(`${at} field ${j}`, f, SLACK_LIMITS.sectionFieldText));
        }
        break;
      }
      case "context": {
        const elements = Array.isArray(b.elements) ? b.elements : [];
        if (elements.length === 0 || elements.length > SLACK_LIMITS.contextElements)
          problems.push(`${at}: ${elements.length} elements (1 to ${SLACK_LIMITS.contextElements})`);
        elements.forEach((e, j) => textObject(`${at} element ${j}`, e, SLACK_LIMITS.contextText));
        break;
      }
      case "actions": {
        const elements = Array.isArray(b.elements) ? b.elements : [];
        if (elements.length === 0 || elements.length > SLACK_LIMITS.actionsElements)
          problems.push(`${at}: ${elements.length} elements (1 to ${SLACK_LIMITS.actionsElements})`);
        elements.forEach((e, j) => {
          if (!isObj(e)) return problems.push(`${at} element ${j}: not an object`);
          if (!isObj(e.text) || e.text.type !== "plain_text") problems.push(`${at} element ${j}: text`);
          max(`${at} element ${j} text`, textOf(e.text), SLACK_LIMITS.buttonText);
          max(`${at} element ${j} value`, e.value as string | undefined, SLACK_LIMITS.buttonValue);
          max(`${at} element ${j} url`, e.url as string | undefined, SLACK_LIMITS.buttonUrl);
          max(`${at} element ${j} action_id`, e.action_id as string | undefined, SLACK_LIMITS.blockId);
        });
        break;
      }
      case "divider":
        break;
      default:
        problems.push(`${at}: a block type Burnrate does not send`);
    }
  });
  return problems;
}
