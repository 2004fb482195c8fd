import {
  CsvFormat,
  AdoptionParams,
  AdoptionQuery,
  AdoptionResponse,
  CultureAnswer,
  CultureParams,
  CultureResponse,
  PutCultureBody,
  MilestoneResponse,
  PutMilestoneBody,
  IndicatorsQuery,
  IndicatorsResponse,
  OnCallIndicatorsQuery,
  OnCallIndicatorsResponse,
  TtrTrendQuery,
  TtrTrendResponse,
  OverviewQuery,
  OverviewResponse,
  PeriodsQuery,
  PeriodsResponse,
  PreviewBody,
  PreviewResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { previewSlo } from "../services/preview";
import { adoptionCsv, adoptionReport, putMilestone } from "../services/reports/adoption";
import { getCulture, putCulture } from "../services/reports/culture";
import { SlugParams } from "./params";
import {
  CSV_TYPE,
  INDICATOR_TABLES,
  indicatorsCsv,
  overviewCsv,
  periodsCsv,
  wantsCsv,
} from "../services/reports/csv";
import { cachedIndicatorsJson } from "../services/reports/indicators";
import { monthlyPdf, monthlyReport } from "../services/reports/monthly-pdf";
import {
  onCallIndicatorsCsv,
  onCallIndicatorsReport,
  ttrTrendCsv,
  ttrTrendReport,
} from "../services/reports/ops-indicators";
import { cachedOverviewReport } from "../services/reports/overview";
import { periodsReport } from "../services/reports/periods";

const IndicatorsCsvQuery = IndicatorsQuery.extend({
  table: z
    .enum(INDICATOR_TABLES)
    .default("depletion")
    .describe("which table a CSV answer holds (the JSON answer holds them all)"),
  format: CsvFormat,
});
const MonthlyPdfQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "month must be YYYY-MM")
    .optional()
    .describe("YYYY-MM (UTC); the current month when absent"),
});

/** A report's 200 answer in OpenAPI: JSON, or CSV when asked with `Accept: text/csv`. */
const jsonOrCsv = (schema: z.ZodType, what: string) => ({
  200: {
    description: `${what}, as JSON or (with \`Accept: text/csv\`) CSV.`,
    content: { "application/json": { schema }, "text/csv": { schema: z.string() } },
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
          "Every SLO × region with its SLI, budget left, 1 h / 6 h burn rates and state, firing first. Served from a cache refreshed every 15 s (generatedAt says when it was computed). With `Accept: text/csv` (or `format=csv`), one CSV line per SLO × region.",
        querystring: OverviewQuery,
        response: { 200: OverviewResponse },
        openapi: { responses: jsonOrCsv(OverviewResponse, "The overview (CSV: one line per SLO × region)") },
      },
    },
    async (req, reply) => {
      const { format, ...filter } = req.query;
      const report = await cachedOverviewReport({ db, filter, now: deps.now });
      if (!wantsCsv(req.headers.accept, format)) return report;
      return (reply as FastifyReply)
        .type(CSV_TYPE)
        .header("content-disposition", 'attachment; filename="overview.csv"')
        .send(overviewCsv(report));
    },
  );
  r.get(
    "/api/v1/reports/periods",
    {
      config: { auth: "read" },
      schema: {
        tags: ["reports"],
        description:
          "SLOs × their last N error-budget periods: fulfilled or broken, and when the budget ran out early. With `Accept: text/csv` (or `format=csv`), one CSV line per SLO × region × period.",
        querystring: PeriodsQuery,
        response: { 200: PeriodsResponse },
        openapi: {
          responses: jsonOrCsv(PeriodsResponse, "The grid (CSV: one line per SLO × period)"),
        },
      },
    },
    async (req, reply) => {
      const { format, ...filter } = req.query;
      const report = await periodsReport({ db, filter, nowMs: deps.now() });
      if (!wantsCsv(req.headers.accept, format)) return report;
      return (reply as FastifyReply)
        .type(CSV_TYPE)
        .header("content-disposition", 'attachment; filename="periods.csv"')
        .send(periodsCsv(report));
    },
  );
  r.get(
    "/api/v1/reports/indicators",
    {
      config: { auth: "read" },
      schema: {
        tags: ["reports"],
        description:
          "Book ch. 11 indicators: SLOs by service, adherence, budget depletion, premature exhaustion, least available and slowest endpoints. Served from a cache: an answer up to 60 s old, or up to 15 min old while the next is computed; an SLO change is seen at once. With `Accept: text/csv` (or `format=csv`), the table named by `table`.",
        querystring: IndicatorsCsvQuery,
        response: { 200: IndicatorsResponse },
        openapi: {
          responses: jsonOrCsv(IndicatorsResponse, "The indicators (CSV: the table named by `table`)"),
        },
      },
    },
    // sent as cached, already checked against the schema and serialized (see cachedIndicatorsJson): a Buffer,
    // which Fastify sends as it is
    async (req, reply) => {
      const { table, format, ...filter } = req.query;
      const json = await cachedIndicatorsJson({ db, filter, now: deps.now });
      if (wantsCsv(req.headers.accept, format))
        return (reply as FastifyReply)
          .type(CSV_TYPE)
          .header("content-disposition", `attachment; filename="indicators-${table}.csv"`)
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
  r.get(
    "/api/v1/reports/ttr-trend",
    {
      config: { auth: "read" },
      schema: {
        tags: ["reports"],
        description:
          "Book §11.2.11 (Fig 11.15): incident time to recovery (resolution − start) per period and per team, with count, mean, median and a least-squares trendline. With `Accept: text/csv`, one line per team × period.",
        querystring: TtrTrendQuery,
        openapi: { responses: jsonOrCsv(TtrTrendResponse, "The TTR trend") },
      },
    },
    async (req, reply) => {
      const out = TtrTrendResponse.parse(await ttrTrendReport({ db, query: req.query, nowMs: deps.now() }));
      if (!wantsCsv(req.headers.accept)) return reply.send(out);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="ttr-trend.csv"')
        .send(ttrTrendCsv(out));
    },
  );
  r.get(
    "/api/v1/reports/oncall",
    {
      config: { auth: "read" },
      schema: {
        tags: ["reports"],
        description:
          "Book §11.2.10 (Fig 11.14): on-call rotations by team — covered UTC hours, services, number of people — the hours per service no rotation covers, and over the window pages per shift, pages while off duty and the median time to acknowledge. Counts per rotation and team, never per person. With `Accept: text/csv`, one line per rotation.",
        querystring: OnCallIndicatorsQuery,
        openapi: { responses: jsonOrCsv(OnCallIndicatorsResponse, "The on-call indicators") },
      },
    },
    async (req, reply) => {
      const out = OnCallIndicatorsResponse.parse(
        await onCallIndicatorsReport({ db, query: req.query, nowMs: deps.now() }),
      );
      if (!wantsCsv(req.headers.accept)) return reply.send(out);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="oncall.csv"')
        .send(onCallIndicatorsCsv(out));
    },
  );
  r.get(
    "/api/v1/reports/adoption",
    {
      config: { auth: "read" },
      schema: {
        tags: ["reports"],
        description:
          "SRE adoption board (book §6.12): per team, each phase reached (derived from Burnrate's data or entered by hand), open or overdue against its target date; teams per phase; and the trend over the last quarters. It tracks the practice of teams, never individuals. With `Accept: text/csv`, one CSV line per team.",
        querystring: AdoptionQuery,
        openapi: {
          responses: {
            200: {
              description: "The adoption board, as JSON or CSV.",
              content: {
                "application/json": { schema: AdoptionResponse },
                "text/csv": { schema: z.string() },
              },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const board = AdoptionResponse.parse(await adoptionReport({ db, query: req.query, nowMs: deps.now() }));
      const csv = req.query.format === "csv" || /\btext\/csv\b/i.test(req.headers.accept ?? "");
      if (!csv) return reply.send(board);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="adoption-${board.today}.csv"`)
        .send(adoptionCsv(board));
    },
  );
  r.put(
    "/api/v1/teams/:slug/adoption/:phase",
    {
      config: { auth: "write" },
      schema: {
        tags: ["reports"],
        description:
          "Records an adoption phase of the team by hand: reached (on a day, today by default) or not yet, with a target date and a note. A phase Burnrate derives from its own data stays reached while the data shows it.",
        params: AdoptionParams,
        body: PutMilestoneBody,
        response: { 200: MilestoneResponse },
      },
    },
    async (req) =>
      putMilestone({
        db,
        actor: req.actor,
        team: req.params.slug,
        phase: req.params.phase,
        input: req.body,
        nowMs: deps.now(),
      }),
  );
  r.get(
    "/api/v1/teams/:slug/culture",
    {
      config: { auth: "read" },
      schema: {
        tags: ["reports"],
        description:
          "The team's culture self-assessments (Westrum's six aspects, 1-5 each), one per quarter, oldest first. It assesses the team's practice, never individuals.",
        params: SlugParams,
        response: { 200: CultureResponse },
      },
    },
    async (req) => getCulture({ db, team: req.params.slug, nowMs: deps.now() }),
  );
  r.put(
    "/api/v1/teams/:slug/culture/:quarter",
    {
      config: { auth: "write" },
      schema: {
        tags: ["reports"],
        description:
          "Records the team's self-assessment for a quarter (this one or an earlier one); answering again replaces it.",
        params: CultureParams,
        body: PutCultureBody,
        response: { 200: CultureAnswer },
      },
    },
    async (req) =>
      putCulture({
        db,
        actor: req.actor,
        team: req.params.slug,
        quarter: req.params.quarter,
        input: req.body,
        nowMs: deps.now(),
      }),
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
