import { describe, expect, it } from "vitest";
import Fastify from "fastify";
import { apiLoggerOptions, urlForLog } from "./logging";

describe("urlForLog", () => {
  it.each([
    ["/api/v1/slos", "/api/v1/slos"],
    ["/api/v1/schedules/x/ical?token=brcal_secret", "/api/v1/schedules/x/ical?token=[redacted]"],
    ["/api/v1/users/u/ical?a=1&TOKEN=brcal_s&b=2", "/api/v1/users/u/ical?a=1&TOKEN=[redacted]&b=2"],
    ["/x?%74oken=brcal_s", "/x?%74oken=[redacted]"],
    ["/x?tokens=keep&token", "/x?tokens=keep&token"],
    ["/x?%E0%A4%A=1&password=p", "/x?%E0%A4%A=1&password=[redacted]"],
  ])("%s → %s", (url, logged) => {
    expect(urlForLog(url)).toBe(logged);
  });
});

describe("apiLoggerOptions", () => {
  it("a request with a feed token is logged without it, and with its method and path", async () => {
    const lines: string[] = [];
    const app = Fastify({
      logger: { ...apiLoggerOptions("info"), stream: { write: (l: string) => void lines.push(l) } },
    });
    app.get("/api/v1/users/:id/ical", async () => "BEGIN:VCALENDAR");
    await app.inject({
      method: "GET",
      url: "/api/v1/users/u1/ical?token=brcal_0123456789abcdef",
      headers: { authorization: "Bearer br_secret_token", cookie: "burnrate_session=s3cret" },
    });
    await app.close();
    const text = lines.join("");
    expect(text).toContain('"url":"/api/v1/users/u1/ical?token=[redacted]"');
    expect(text).toContain('"method":"GET"');
    for (const secret of ["brcal_0123456789abcdef", "br_secret_token", "s3cret"])
      expect(text).not.toContain(secret);
  });

  it("a receiver's key or signing secret logged with an object is redacted", () => {
    const lines: string[] = [];
    const app = Fastify({
      logger: { ...apiLoggerOptions("info"), stream: { write: (l: string) => void lines.push(l) } },
    });
    app.log.info(
      { receiver: { name: "pd", secret: "R0UTING-KEY" }, created: { signingSecret: "whsec_abc" } },
      "x",
    );
    const text = lines.join("");
    expect(text).toContain('"name":"pd"');
    for (const secret of ["R0UTING-KEY", "whsec_abc"]) expect(text).not.toContain(secret);
  });
});
