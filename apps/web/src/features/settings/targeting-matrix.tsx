import { CreateStakeholderGroupBody, type StakeholderGroupResponse } from "@burnrate/contracts";
import type { FormEvent } from "react";
import {
  useCreateStakeholderGroup,
  useDeleteStakeholderGroup,
  useStakeholderGroups,
  useStakeholderRings,
} from "../../api";
import { QueryState } from "../../components/query-state";
import { FormFooter, SelectField, TextField } from "../forms/fields";
import { useForm } from "../forms/use-form";

const ALL_GEOGRAPHIES = "worldwide";
const ALL_PRODUCTS = "all";

const LABELS = {
  ring: "Ring",
  name: "Group name",
  geographies: "Geographies or environments",
  products: "Products",
  emails: "Emails",
  slackChannels: "Slack channels",
  users: "Burnrate users (emails)",
};
type GroupValues = Record<keyof typeof LABELS, string>;
const list = (v: string) =>
  v
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** Distinct labels, the "everything" label first, without case. */
function axis(values: string[], everything: string): string[] {
  const seen = new Map<string, string>();
  for (const v of values) if (!seen.has(v.toLowerCase())) seen.set(v.toLowerCase(), v);
  seen.delete(everything);
  return [everything, ...[...seen.values()].sort((a, b) => a.localeCompare(b))];
}
const has = (xs: string[], x: string) => xs.some((y) => y.toLowerCase() === x.toLowerCase());

/**
 * The targeting matrix (book Tbl 8.4): geographies or environments × products, each cell naming the groups
 * (with their ring) subscribed to it. A message reaches a group when its geography and products fall in one
 * of the group's cells; "worldwide" and "all" cover every row and column.
 */
export function TargetingMatrix() {
  const groups = useStakeholderGroups();
  return (
    <section aria-label="Targeting matrix">
      <h2>Targeting matrix</h2>
      <p className="muted">
        Each group of a ring is told of incidents in its geographies (or environments) and products. A
        worldwide or all-products message reaches every group; a worldwide or all-products group hears of
        everything.
      </p>
      <QueryState query={groups} what="stakeholder groups">
        {(rows) => (
          <>
            <MatrixGrid groups={rows} />
            <GroupList groups={rows} />
          </>
        )}
      </QueryState>
      <GroupForm />
    </section>
  );
}

function MatrixGrid({ groups }: { groups: StakeholderGroupResponse[] }) {
  if (groups.length === 0) return <p>No groups yet: add one below.</p>;
  const rows = axis(
    groups.flatMap((g) => g.geographies),
    ALL_GEOGRAPHIES,
  );
  const cols = axis(
    groups.flatMap((g) => g.products),
    ALL_PRODUCTS,
  );
  return (
    <div className="table-scroll">
      <table className="grid targeting-matrix" aria-label="Geographies × products">
        <thead>
          <tr>
            <th scope="col">Geography / environment</th>
            {cols.map((c) => (
              <th scope="col" key={c}>
                {c === ALL_PRODUCTS ? "All products" : c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r}>
              <th scope="row">{r === ALL_GEOGRAPHIES ? "Worldwide" : r}</th>
              {cols.map((c) => {
                const inCell = groups.filter((g) => has(g.geographies, r) && has(g.products, c));
                return (
                  <td key={c} data-cell={`${r} × ${c}`}>
                    {inCell.length === 0
                      ? "–"
                      : inCell.map((g) => (
                          <span className="chip none" key={g.id}>
                            {g.name} (ring {g.ring.number})
                          </span>
                        ))}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function GroupList({ groups }: { groups: StakeholderGroupResponse[] }) {
  const remove = useDeleteStakeholderGroup();
  if (groups.length === 0) return null;
  return (
    <ul className="targeting-groups" aria-label="Stakeholder groups">
      {groups.map((g) => {
        const who = [...g.users.map((u) => u.name), ...g.emails, ...g.slackChannels.map((c) => `#${c}`)].join(
          ", ",
        );
        return (
          <li key={g.id}>
            <span>
              <strong>{g.name}</strong> · ring {g.ring.number} · {g.geographies.join(", ")} ×{" "}
              {g.products.join(", ")} · {who || "no subscribers"}
            </span>
            <button
              type="button"
              className="secondary"
              onClick={() => remove.mutate(g.id)}
              aria-label={`Remove ${g.name}`}
            >
              Remove
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function GroupForm() {
  const rings = useStakeholderRings();
  const create = useCreateStakeholderGroup();
  const empty: GroupValues = {
    ring: "",
    name: "",
    geographies: ALL_GEOGRAPHIES,
    products: ALL_PRODUCTS,
    emails: "",
    slackChannels: "",
    users: "",
  };
  const form = useForm(empty, LABELS);
  const choices = (rings.data ?? []).map((r) => [String(r.number), `${r.number}: ${r.name}`] as const);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const v = form.values;
    const body = {
      ring: Number(v.ring || choices[0]?.[0] || Number.NaN),
      name: v.name,
      geographies: list(v.geographies),
      products: list(v.products),
      emails: list(v.emails),
      slackChannels: list(v.slackChannels),
      users: list(v.users),
    };
    if (await form.submit(CreateStakeholderGroupBody, body, create.mutateAsync)) form.reset();
  }
  if (rings.data && rings.data.length === 0) return <p>Add a ring first: groups belong to a ring.</p>;
  return (
    <form
      className="form card-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label="New stakeholder group"
    >
      <h3>New group</h3>
      <div className="form-row">
        <SelectField form={form} name="ring" id="group-ring" label="Ring" choices={choices} />
        <TextField form={form} name="name" id="group-name" label="Group name" placeholder="Europe retail" />
      </div>
      <div className="form-row">
        <TextField
          form={form}
          name="geographies"
          id="group-geographies"
          label="Geographies or environments"
          hint="Comma-separated; worldwide = all"
        />
        <TextField
          form={form}
          name="products"
          id="group-products"
          label="Products"
          hint="Comma-separated; all = every product"
        />
      </div>
      <TextField
        form={form}
        name="users"
        id="group-users"
        label="Burnrate users (emails)"
        hint="Told by email and Slack direct message"
      />
      <div className="form-row">
        <TextField form={form} name="emails" id="group-emails" label="Emails" />
        <TextField
          form={form}
          name="slackChannels"
          id="group-slack"
          label="Slack channels"
          placeholder="#eu-retail"
        />
      </div>
      <FormFooter form={form}>Add group</FormFooter>
    </form>
  );
}
