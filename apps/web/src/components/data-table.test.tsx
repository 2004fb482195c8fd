import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { DataTable } from "./data-table";

const rows = [
  { id: "a", name: "Cart", left: 0.5 },
  { id: "b", name: "Search", left: -0.1 },
];

describe("DataTable", () => {
  it("draws a header row from the columns and a row per item, with the classes and test ids asked for (each cell names its column, for the phone's cards)", () => {
    const html = renderToStaticMarkup(
      <DataTable
        scroll={false}
        label="SLOs"
        rows={rows}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ "data-testid": "slo-row", className: r.left < 0 ? "selected" : undefined })}
        columns={[
          { header: "SLO", cell: (r) => r.name },
          { header: "Budget", num: true, testId: "budget", cell: (r) => `${r.left * 100}%` },
          { header: "When", headerClassName: "num", className: "small", cell: () => "now" },
          { cell: () => null },
        ]}
      />,
    );
    expect(html).toBe(
      '<table class="grid cards-on-phone" aria-label="SLOs"><thead><tr><th>SLO</th><th class="num">Budget</th>' +
        '<th class="num">When</th><th></th></tr></thead><tbody>' +
        '<tr data-testid="slo-row"><td data-label="SLO">Cart</td><td class="num" data-testid="budget" data-label="Budget">50%</td><td class="small" data-label="When">now</td><td></td></tr>' +
        '<tr data-testid="slo-row" class="selected"><td data-label="SLO">Search</td><td class="num" data-testid="budget" data-label="Budget">-10%</td><td class="small" data-label="When">now</td><td></td></tr>' +
        "</tbody></table>",
    );
  });

  it("a table that stays a table on a phone is not marked for cards", () => {
    const html = renderToStaticMarkup(
      <DataTable
        scroll={false}
        cards={false}
        rows={rows}
        rowKey={(r) => r.id}
        columns={[{ header: "SLO", cell: (r) => r.name }]}
      />,
    );
    expect(html).toMatch(/^<table class="grid"><thead>/);
  });

  it("a sortable column is a button; aria-sort and the arrow say the direction", () => {
    const html = renderToStaticMarkup(
      <DataTable
        rows={[]}
        rowKey={(_, i) => i}
        columns={[
          { header: "A", cell: () => "", sort: { dir: "asc", onSort: vi.fn() } },
          { header: "B", num: true, cell: () => "", sort: { dir: "desc", onSort: vi.fn() } },
          { header: "C", cell: () => "", sort: { dir: null, onSort: vi.fn() } },
        ]}
      />,
    );
    expect(html).toContain(
      '<th aria-sort="ascending"><button type="button" class="sort">A<span aria-hidden="true"> ▲</span>',
    );
    expect(html).toContain(
      '<th class="num" aria-sort="descending"><button type="button" class="sort">B<span aria-hidden="true"> ▼</span>',
    );
    expect(html).toContain(
      '<th aria-sort="none"><button type="button" class="sort">C<span aria-hidden="true"></span>',
    );
  });

  it("a wide table scrolls inside the page", () => {
    const html = renderToStaticMarkup(<DataTable label="SLOs" rows={[]} rowKey={(_, i) => i} columns={[]} />);
    expect(html).toMatch(
      /^<div class="scroll-x" tabindex="0" role="region" aria-label="SLOs"><table class="grid cards-on-phone"/,
    );
    const bare = renderToStaticMarkup(
      <DataTable scroll={false} rows={[]} rowKey={(_, i) => i} columns={[]} />,
    );
    expect(bare).toMatch(/^<table class="grid cards-on-phone">/);
  });
});
