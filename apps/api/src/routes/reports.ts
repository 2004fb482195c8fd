import {
  IndicatorsQuery,
  IndicatorsResponse,
  OverviewResponse,
  PeriodsQuery,
  PeriodsResponse,
  PreviewBody,
  PreviewResponse,
  ReportFilterQuery,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { previewSlo } from "../services/preview";
import { CSV_TYPE, INDICATOR_TABLES, indicatorsCsv, periodsCsv, wantsCsv } from "../services/reports/csv";
import { cachedIndicatorsJson } from "../services/reports/indicators";
import { monthlyPdf, monthlyReport } from "../services/reports/monthly-pdf";
import { cachedOverviewReport } from "../services/reports/overview";
import { periodsReport } from "../services/reports/periods";

const IndicatorsCsvQuery = IndicatorsQuery.extend({
  table: z
    .enum(INDICATOR_TABLES)
    .default("depletion")
    .describe("which table a CSV answer holds (the JSON answer holds them all)"),
});
const MonthlyPdfQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "month must be YYYY-MM")
    .optional()
    .describe("YYYY-MM (UTC); the current month when absent"),
});
/** The answer is JSON, or CSV with `Accept: text/csv`. */
const jsonOrCsv = (json: z.ZodType, description: string) => ({
  responses: {
    200: {
      description,
      content: { "application/json": { schema: json }, "text/csv": { schema: z.string() } },
    },
  },
});

/** Dashboard reports (read-only) and the SLO editor's preview. */
export function reportRoutes(app: FastifyInstance, deps: { db: Db; now: () => number }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.get(
    "/api/v1/reports/overview",
    {
      config: { auth: "read" },
      schema: {
        tags: ["reports"],
        description:
          "Every SLO × region with its SLI, budget left, 1 h / 6 h burn rates and state, firing first. Served from a cache refreshed every 15 s (generatedAt says when it was computed).",
        querystring: ReportFilterQuery,
        response: { 200: OverviewResponse },
      },
    },
    async (req) => cachedOverviewReport({ db, filter: req.query, now: deps.now }),
  );
  r.get(
    "/api/v1/reports/periods",
    {
      config: { auth: "read" },
      schema: {
        tags: ["reports"],
        description:
          "SLOs × their last N error-budget periods: fulfilled or broken, and when the budget ran out early.",
        querystring: PeriodsQuery,
        response: { 200: PeriodsResponse },
        openapi: jsonOrCsv(
          PeriodsResponse,
          "The grid as JSON, or with `Accept: text/csv` one CSV line per SLO × period.",
        ),
      },
    },
    async (req, reply) => {
      const report = await periodsReport({ db, filter: req.query, nowMs: deps.now() });
      if (!wantsCsv(req.headers.accept)) return report;
      return (reply as FastifyReply).type(CSV_TYPE).send(periodsCsv(report));
    },
  );
  r.get(
    "/api/v1/reports/indicators",
    {
      config: { auth: "read" },
      schema: {
        tags: ["reports"],
        description:
          "Book ch. 11 indicators: SLOs by service, adherence, budget depletion, premature exhaustion, least available and slowest endpoints. Served from a cache: an answer up to 60 s old, or up to 15 min old while the next is computed; an SLO change is seen at once.",
        querystring: IndicatorsCsvQuery,
        response: { 200: IndicatorsResponse },
        openapi: jsonOrCsv(
          IndicatorsResponse,
          "The indicators as JSON, or with `Accept: text/csv` the table named by `table` as CSV.",
        ),
      },
    },
    // sent as cached, already checked against the schema and serialized (see cachedIndicatorsJson): a Buffer,
    // which Fastify sends as it is
    async (req, reply) => {
      const { table, ...filter } = req.query;
      const json = await cachedIndicatorsJson({ db, filter, now: deps.now });
      if (wantsCsv(req.headers.accept))
        return (reply as FastifyReply)
          .type(CSV_TYPE)
          .send(indicatorsCsv(JSON.parse(json.toString("utf8")) as IndicatorsResponse, table));
      return (reply as FastifyReply).type("application/json; charset=utf-8").send(json);
    },
  );
  r.get(
    "/api/v1/reports/monthly.pdf",
    {
      config: { auth: "read" },
      schema: {
        tags: ["reports"],
        description:
          "The monthly SLO report as a PDF: one A4 page per team with each SLO × region's budget left and adherence for the period holding the month's end.",
        querystring: MonthlyPdfQuery,
        openapi: {
          responses: {
            200: { description: "A PDF document.", content: { "application/pdf": { schema: z.string() } } },
          },
        },
      },
    },
    async (req, reply) => {
      const nowMs = deps.now();
      const month = req.query.month ?? new Date(nowMs).toISOString().slice(0, 7);
      const pages = await monthlyReport({ db, month, nowMs });
      return (reply as FastifyReply)
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="burnrate-${month}.pdf"`)
        .send(await monthlyPdf(month, pages, nowMs));
    },
  );
  r.post(
    "/api/v1/slos/preview",
    {
      config: { auth: "read" },
      schema: {
        tags: ["slos"],
        description:
          "SLO editor preview: the last 28 days of a proposed SLO from the rollups, its budget, the pages its tiers would have sent, and the history guardrail. Writes nothing.",
        body: PreviewBody,
        response: { 200: PreviewResponse },
      },
    },
    async (req) => previewSlo({ db, input: req.body, nowMs: deps.now() }),
  );
}
