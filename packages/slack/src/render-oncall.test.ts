import { describe, expect, it } from "vitest";
import { renderHandoffNotice, renderOncallAnswer } from "./render-oncall";

const base = {
  team: { slug: "payments", name: "Payments" },
  scheduleUrl: "https://burnrate.example.com/oncall",
};

describe("renderOncallAnswer", () => {
  it("names each position's holder, and nobody outside active hours", () => {
    const m = renderOncallAnswer({
      ...base,
      schedules: [
        {
          name: "Business hours",
          timeZone: "Europe/Berlin",
          positions: [
            { position: "main", person: { name: "Ann", email: "ann@example.com" } },
            { position: "backup", person: null },
          ],
        },
      ],
    });
    expect(m.response_type).toBe("ephemeral");
    expect(m.text).toBe("On call for Payments (payments): Business hours: Main Ann, Backup nobody");
    expect(JSON.stringify(m.blocks)).toContain("*Main:* Ann (ann@example.com)");
    expect(JSON.stringify(m.blocks)).toContain("*Backup:* _nobody (outside active hours)_");
  });

  it("escapes Slack's control characters in names", () => {
    const m = renderOncallAnswer({
      ...base,
      schedules: [
        {
          name: "<!channel> & co",
          timeZone: "UTC",
          positions: [{ position: "main", person: { name: "<@U1>", email: "x@y" } }],
        },
      ],
    });
    const blocks = JSON.stringify(m.blocks);
    expect(blocks).toContain("&lt;!channel&gt; &amp; co");
    expect(blocks).toContain("&lt;@U1&gt;");
    expect(blocks).not.toContain("<!channel>");
  });

  it("says when the team has no schedule, and stays within Slack's 50 blocks", () => {
    expect(renderOncallAnswer({ ...base, schedules: [] }).text).toContain("no schedule yet");
    const many = Array.from({ length: 80 }, (_, i) => ({ name: `s${i}`, timeZone: "UTC", positions: [] }));
    expect(renderOncallAnswer({ ...base, schedules: many }).blocks.length).toBeLessThanOrEqual(50);
  });
});

describe("renderHandoffNotice", () => {
  it("says who is on call now and who takes over next, escaped", () => {
    const m = renderHandoffNotice({
      schedule: "Payments <weekly>",
      positions: [
        { position: "main", person: { name: "Ann", email: "ann@example.com" } },
        { position: "backup", person: { name: "Ben", email: "ben@example.com" } },
      ],
      next: { name: "Cat", email: "cat@example.com", atIso: "2026-12-14T08:00:00.000Z" },
      scheduleUrl: "https://burnrate.example.com/oncall",
    });
    expect(m.text).toBe(
      "On call now for Payments <weekly>: Main Ann, Backup Ben. Next: Cat from 2026-12-14T08:00:00.000Z.",
    );
    const blocks = JSON.stringify(m.blocks);
    expect(blocks).toContain("Payments &lt;weekly&gt;");
    expect(blocks).toContain("<!date^1797235200^{date_short_pretty} {time}|2026-12-14T08:00:00.000Z>");
  });
});
