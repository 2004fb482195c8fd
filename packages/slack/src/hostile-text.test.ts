import { describe, expect, it } from "vitest";
import { ELLIPSIS, escapeMrkdwn, fitMrkdwn, fitPlain, mrkdwnLink } from "./mrkdwn";
import { renderAlertMessage, renderEventReply, type AlertMessageInput } from "./render-alert";
import { blockKitProblems } from "./testing/block-kit-rules";

const HOSTILE = ["<!channel>", "<https://evil.example|x>", "a & b", "<@U123> & <#C1>", "x > y < z"];
const longFilter = (n: number) =>
  `status < 500 and route != "/healthz" and method in ("GET", "POST") and ${"x".repeat(n)}`.slice(0, n);
const fiveThousand = longFilter(5000);

const base: AlertMessageInput = {
  alertId: "5f0c6a52-2f7e-4c1e-9a51-0d1b2c3d4e5f",
  state: "firing",
  severity: "page",
  priority: { value: "P2", derived: true },
  service: { slug: "checkout", name: "Checkout" },
  endpoint: "GET /cart",
  region: "prod-eu",
  sloName: "Cart availability",
  sentence: "99.9% of GET /cart requests succeed over 28 days",
  burn: { tier: "fast-page", window: "1h", burnRate: 200, factor: 13.44, budgetSpentInWindow: 0.2976 },
  budgetRemaining: 0.42,
  timeToExhaustionHours: 1.41,
  deployments: [{ version: "v2.4.1", at: "2025-03-03T09:58:00.000Z", region: "prod-eu" }],
  sloUrl: "https://burnrate.example.com/slos/9d1e?region=prod-eu",
  runbookUrl: "https://runbooks.example.com/checkout",
  acknowledgedBy: null,
  snoozedUntil: null,
  firedAt: "2025-03-03T10:02:00.000Z",
};

/** Every piece of user text set to `t`: names, services, endpoints, regions, versions, filters, who acted. */
function everywhere(t: string, over: Partial<AlertMessageInput> = {}): AlertMessageInput {
  return {
    ...base,
    sloName: t,
    service: { slug: t, name: t },
    endpoint: `GET ${t}`,
    region: t,
    priority: { value: t, derived: false },
    sentence: `99.9% of requests where ${t} are good among ${t}, over 28 days`,
    burn: { ...base.burn, tier: t, window: t },
    deployments: [1, 2, 3].map((i) => ({ version: `${t}-${i}`, at: base.firedAt, region: t })),
    runbookUrl: `https://runbooks.example.com/${t}`,
    acknowledgedBy: t,
    ...over,
  };
}

/** Every mrkdwn text of a message (the notification text, section texts and fields, context elements). */
function mrkdwnTexts(m: { text: string; blocks: unknown[] }): string[] {
  const out = [m.text];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "mrkdwn" && typeof o.text === "string") out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(m.blocks);
  return out;
}

describe("user text in Slack messages", () => {
  it.each(HOSTILE)("%s is escaped everywhere and pings nobody", (t) => {
    for (const state of ["firing", "acknowledged", "resolved"] as const)
      for (const kind of ["burn_rate", "no_data"] as const) {
        const m = renderAlertMessage(everywhere(t, { state, kind }));
        expect(blockKitProblems(m)).toEqual([]);
        const texts = mrkdwnTexts(m).join("\n");
        expect(texts).not.toContain(t);
        expect(texts).toContain(escapeMrkdwn(t));
        expect(texts).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U|<#C/);
      }
  });

  it("shows the header, which is plain text, as the user wrote it", () => {
    const m = renderAlertMessage(everywhere("<!channel> & co"));
    expect((m.blocks[0] as { text: { type: string; text: string } }).text).toEqual({
      type: "plain_text",
      text: expect.stringContaining("<!channel> & co") as unknown as string,
    });
  });

  it("escapes the runbook link so a URL cannot carry its own label or close the link", () => {
    const m = renderAlertMessage({ ...base, runbookUrl: "https://r.example/a?b=1&c=<x>|label" });
    expect(mrkdwnTexts(m).join("\n")).toContain("<https://r.example/a?b=1&amp;c=&lt;x&gt;%7Clabel|Runbook>");
    expect(blockKitProblems(m)).toEqual([]);
  });

  it("escapes who acted and why in thread replies", () => {
    expect(renderEventReply("acknowledged", { by: "<!channel>" })).toBe(
      ":eyes: Acknowledged by &lt;!channel&gt;",
    );
    expect(renderEventReply("released", { reason: "a & <b>" })).toContain("a &amp; &lt;b&gt;");
    expect(renderEventReply("<!here>", {})).toBe("&lt;!here&gt;");
  });
});

describe("Block Kit's limits", () => {
  it.each([
    {
      what: "5,000-character filters",
      input: { ...base, sentence: `99% of requests where ${fiveThousand}` },
    },
    { what: "5,000-character hostile names everywhere", input: everywhere(`<!channel>&${"y".repeat(5000)}`) },
    {
      what: "a 5,000-character runbook URL",
      input: { ...base, runbookUrl: `https://r.example/${"z".repeat(5000)}` },
    },
    { what: "names of '&' only (each escapes to 5 characters)", input: everywhere("&".repeat(1000)) },
  ])("a message with $what stays within every limit", ({ input }) => {
    for (const state of ["firing", "acknowledged", "resolved"] as const) {
      const m = renderAlertMessage({ ...input, state });
      expect(blockKitProblems(m)).toEqual([]);
    }
  });

  it("cuts a long filter with an ellipsis and links the full text on the SLO page", () => {
    const m = renderAlertMessage({ ...base, sentence: `99% of requests where ${fiveThousand}` });
    const slo = (m.blocks[1] as { text: { text: string } }).text.text;
    expect(slo.length).toBeLessThanOrEqual(3000);
    expect(slo).toMatch(/^\*SLO:\* 99% of requests where status &lt; 500 and route != "\/healthz"/);
    expect(slo.endsWith(`${ELLIPSIS} <${base.sloUrl}|full text on the SLO page>`)).toBe(true);
  });

  it("the checker itself catches what Slack refuses", () => {
    expect(
      blockKitProblems({
        text: "<!channel> & x",
        blocks: [
          { type: "header", text: { type: "plain_text", text: "h".repeat(151) } },
          { type: "section", text: { type: "mrkdwn", text: "s".repeat(3001) } },
          { type: "section", fields: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "f" })) },
          { type: "context", elements: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "c" })) },
          {
            type: "actions",
            elements: [{ type: "button", text: { type: "plain_text", text: "b".repeat(76) } }],
          },
          ...Array.from({ length: 46 }, () => ({ type: "divider" })),
        ],
      }),
    ).toEqual([
      "text: control sequence <!channel> at 0",
      'text: bare "&" at 11',
      "51 blocks > 50",
      "block 0 (header) text: 151 > 150 characters",
      "block 1 (section) text: 3001 > 3000 characters",
      "block 2 (section): 11 fields > 10",
      "block 3 (context): 11 elements (1 to 10)",
      "block 4 (actions) element 0 text: 76 > 75 characters",
    ]);
  });
});

describe("mrkdwn helpers", () => {
  it.each([
    { text: "abcdef", max: 6, expected: "abcdef" },
    { text: "abcdefg", max: 6, expected: "abcde…" },
    // never inside an escape, a link or a surrogate pair
    { text: "abcd&amp;efgh", max: 8, expected: "abcd…" },
    { text: "ab<https://x.example|x>cdef", max: 10, expected: "ab…" },
    { text: "abcd😀efgh", max: 6, expected: "abcd…" },
  ])("fitMrkdwn($text, $max) is $expected", ({ text, max, expected }) => {
    expect(fitMrkdwn(text, max)).toBe(expected);
  });

  it("fitPlain cuts plain text to the limit", () => {
    expect(fitPlain("x".repeat(200), 150)).toBe(`${"x".repeat(149)}…`);
    expect(fitPlain("short", 150)).toBe("short");
  });

  it("mrkdwnLink escapes the URL and the label", () => {
    expect(mrkdwnLink("https://a.example/?q=1&r=2", "<b>")).toBe(
      "<https://a.example/?q=1&amp;r=2|&lt;b&gt;>",
    );
  });
});
