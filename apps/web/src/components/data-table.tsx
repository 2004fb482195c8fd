import type { HTMLAttributes, ReactNode } from "react";

export type SortDir = "asc" | "desc";

/** One column of a DataTable: its header and how a row fills its cell. */
export interface Column<Row> {
  /** React key of the column; the position when absent */
  key?: string | number;
  /** header cell content (none: an empty header cell) */
  header?: ReactNode;
  /** the column's name over each cell of a phone's card, when the header is not plain text */
  label?: string;
  cell: (row: Row, index: number) => ReactNode;
  /** a column of numbers: header and cells are right-aligned */
  num?: boolean;
  /** class of the body cells (besides "num") */
  className?: string;
  /** class of the header cell (besides "num") */
  headerClassName?: string;
  /** data-testid of the body cells */
  testId?: string;
  /** a sortable column: the header is a button; `dir` is set on the column the rows are sorted by */
  sort?: { dir: SortDir | null; onSort: () => void };
}

type RowAttributes = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | undefined };

/** The app's table (`table.grid`): a header row from the columns, then one row per item. */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  rowProps,
  label,
  className = "grid",
  scroll = true,
  cards = true,
}: {
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row, index: number) => string | number;
  rowProps?: (row: Row, index: number) => RowAttributes;
  /** aria-label of the table */
  label?: string;
  className?: string;
  /** a table wider than the screen scrolls sideways inside its own box, never the page (the default) */
  scroll?: boolean;
  /** on a phone, one card per row with each cell under its column's name (the default), not a wide table */
  cards?: boolean;
}) {
  const table = (
    <table className={cards ? `${className} cards-on-phone` : className} aria-label={label}>
      <thead>
        <tr>
          {columns.map((c, i) => (
            <HeaderCell key={c.key ?? i} column={c} />
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={rowKey(r, i)} {...rowProps?.(r, i)}>
            {columns.map((c, j) => (
              <td
                key={c.key ?? j}
                className={cellClass(c)}
                data-testid={c.testId}
                data-label={c.label ?? (typeof c.header === "string" ? c.header : undefined)}
              >
                {c.cell(r, i)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  // the box can be scrolled from the keyboard too (it takes focus, and says which table it holds)
  return scroll ? (
    <div className="scroll-x" tabIndex={0} role="region" aria-label={label ?? "table"}>
      {table}
    </div>
  ) : (
    table
  );
}

const cellClass = (c: Column<never>) =>
  [c.num ? "num" : "", c.className ?? ""].filter(Boolean).join(" ") || undefined;

const ARROW: Record<SortDir, string> = { asc: " ▲", desc: " ▼" };
const ARIA_SORT: Record<SortDir, "ascending" | "descending"> = { asc: "ascending", desc: "descending" };

function HeaderCell<Row>({ column: c }: { column: Column<Row> }) {
  const className = [c.num ? "num" : "", c.headerClassName ?? ""].filter(Boolean).join(" ") || undefined;
  if (!c.sort) return <th className={className}>{c.header}</th>;
  const { dir, onSort } = c.sort;
  return (
    <th className={className} aria-sort={dir ? ARIA_SORT[dir] : "none"}>
      <button type="button" className="sort" onClick={onSort}>
        {c.header}
        <span aria-hidden="true">{dir ? ARROW[dir] : ""}</span>
      </button>
    </th>
  );
}
