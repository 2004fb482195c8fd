import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SLO_FAMILIES } from "../../apps/api/src/services/metrics/slo-exposition";

/** The dashboard in deploy/grafana queries only series that GET /metrics/slos writes. */
const ROOT = path.resolve(import.meta.dirname, "../..");
const dashboard = JSON.parse(readFileSync(path.join(ROOT, "deploy/grafana/burnrate-slos.json"), "utf8")) as {
  uid: string;
  title: string;
  panels: { id: number; title: string; targets?: { expr: string; refId: string }[] }[];
  templating: { list: { name: string; type: string; definition?: string; query?: unknown }[] };
};
const exposed = new Set(SLO_FAMILIES.map((f) => f.name));
const seriesIn = (expr: string) => [...expr.matchAll(/\b(burnrate_[a-z0-9_]+)\b/g)].map((m) => m[1]!);

describe("the Grafana dashboard", () => {
  const targets = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, ...t })));

  it("has an id, a title, unique panel ids and at least one query per panel", () => {
    expect(dashboard.uid).toBe("burnrate-slos");
    expect(dashboard.title).toBeTruthy();
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const p of dashboard.panels) expect(p.targets?.length, p.title).toBeGreaterThan(0);
  });

  it.each(targets.map((t) => [`${t.panel} ${t.refId}`, t.expr]))(
    "%s names only exposed series",
    (_, expr) => {
      const names = seriesIn(expr);
      expect(names.length, expr).toBeGreaterThan(0);
      for (const n of names) expect(exposed, `${n} in ${expr}`).toContain(n);
    },
  );

  it("filters every query by the team, service and region variables", () => {
    for (const t of targets)
      for (const v of ["team", "service", "region"]) expect(t.expr, t.panel).toContain(`${v}=~"$${v}"`);
  });

  it("has team, service and region variables from label_values of an exposed series, and a data source", () => {
    const vars = new Map(dashboard.templating.list.map((v) => [v.name, v]));
    expect(vars.get("datasource")?.type).toBe("datasource");
    for (const name of ["team", "service", "region"]) {
      const v = vars.get(name)!;
      expect(v.type).toBe("query");
      const m = /^label_values\((burnrate_[a-z_]+)(\{.*\})?,\s*(\w+)\)$/.exec(v.definition ?? "");
      expect(m, v.definition).not.toBeNull();
      expect(exposed).toContain(m![1]);
      expect(m![3]).toBe(name);
    }
  });

  it("every series name the exposition writes is a Prometheus metric name", () => {
    for (const n of exposed) expect(n).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
  });
});
