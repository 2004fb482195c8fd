/** Query parameters whose value is a credential (a calendar feed's `token`, for one): never written to a log. */
const SECRET_PARAMS = /^(token|access_token|key|api_key|secret|signature|sig|password)$/i;

/**
 * The request URL as the logs show it: the path, and the query with every credential's value replaced by
 * `[redacted]`. A calendar app polls `/api/v1/schedules/:id/ical?token=brcal_…` for months; its token must not
 * be readable by whoever reads the logs.
 */
export function urlForLog(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a malformed escape is logged as sent
      }
      return eq >= 0 && SECRET_PARAMS.test(decoded) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, q)}?${params.join("&")}`;
}

/**
 * The API's pino options: credentials in headers, bodies and the query are never written (`[redacted]`).
 * Fastify's own request fields are kept, with the URL passed through `urlForLog`.
 */
export function apiLoggerOptions(level: string) {
  return {
    level,
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        'res.headers["set-cookie"]',
        "*.password",
        "*.token",
        "*.secret",
        "*.signingSecret",
        "*.auth",
        "*.sli.auth",
      ],
      censor: "[redacted]",
    },
    serializers: {
      req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({
        method: req.method,
        url: urlForLog(req.url),
        host: req.hostname,
        remoteAddress: req.ip,
      }),
    },
  };
}
