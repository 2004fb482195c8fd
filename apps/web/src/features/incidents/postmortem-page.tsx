import {
  CreateActionItemBody,
  PatchPostmortemBody,
  type ActionItemResponse,
  type PostmortemResponse,
  type PostmortemStatus,
} from "@burnrate/contracts";
import type { FormEvent } from "react";
import { Link, useParams } from "react-router";
import {
  errorMessage,
  useAddActionItem,
  useCreatePostmortem,
  useIncident,
  usePatchActionItem,
  usePatchPostmortem,
  usePostmortem,
} from "../../api";
import { DataTable } from "../../components/data-table";
import { fmtTime } from "../../components/format";
import { PageHeader } from "../../components/page-header";
import { usePageTitle } from "../../components/page-title";
import { QueryState } from "../../components/query-state";
import { StatusBadge, type Tone } from "../../components/status-badge";
import { FormError, FormFooter, SelectField, TextAreaField, TextField } from "../forms/fields";
import { useForm } from "../forms/use-form";

const SECTIONS = [
  ["summary", "Summary", "What happened, in a few sentences, for someone who was not there."],
  ["customerImpact", "Customer impact", "Who noticed what, where and for how long."],
  ["trigger", "Trigger", "The change or event that set it off."],
  ["rootCauses", "Root causes", "The conditions that let the trigger cause harm."],
  ["detection", "Detection", "How and when we found out; what would have told us sooner."],
  ["resolution", "Resolution", "What brought the service back."],
  ["wentWell", "What went well", ""],
  ["wentBadly", "What went badly", ""],
  ["gotLucky", "Where we got lucky", ""],
] as const;
type SectionKey = (typeof SECTIONS)[number][0];

const STATUS_LABEL: Record<PostmortemStatus, string> = {
  draft: "Draft",
  in_review: "In review",
  published: "Published",
};
const STATUS_TONE: Record<PostmortemStatus, Tone> = { draft: "low", in_review: "low", published: "healthy" };
const ITEM_STATES = [
  ["new", "New"],
  ["ready", "Ready"],
  ["in_work", "In work"],
  ["implemented", "Implemented"],
  ["done", "Done"],
] as const;
const PRIORITIES = [
  ["P1", "P1"],
  ["P2", "P2"],
  ["P3", "P3"],
  ["P4", "P4"],
] as const;
const pct = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(Math.abs(x) < 0.1 ? 2 : 1)}%`);

/** The postmortem of an incident (book §9.5.7): sections, impact from the SLOs, timeline and action items. */
export function PostmortemPage() {
  const { id = "" } = useParams();
  const incident = useIncident(id);
  const pm = usePostmortem(id);
  usePageTitle(incident.data ? `Postmortem #${incident.data.number}` : null);
  return (
    <div className="page postmortem-page">
      <QueryState query={pm} what="the postmortem">
        {(p) =>
          p ? (
            <Editor pm={p} incidentId={id} />
          ) : (
            <>
              <p className="muted">
                <Link to="/incidents">Incidents</Link> /{" "}
                <Link to={`/incidents/${id}`}>#{incident.data?.number}</Link> / Postmortem
              </p>
              <PageHeader title="Postmortem" description={incident.data?.title ?? ""} />
              <StartPostmortem incidentId={id} />
            </>
          )
        }
      </QueryState>
    </div>
  );
}

function StartPostmortem({ incidentId }: { incidentId: string }) {
  const create = useCreatePostmortem(incidentId);
  return (
    <section className="card" aria-label="No postmortem yet">
      <p>This incident has no postmortem yet. Its timeline and impact are filled in from the incident.</p>
      <button type="button" onClick={() => create.mutate()} disabled={create.isPending}>
        Write the postmortem
      </button>
      {create.isError && (
        <p role="alert" className="error">
          {errorMessage(create.error)}
        </p>
      )}
    </section>
  );
}

function Editor({ pm, incidentId }: { pm: PostmortemResponse; incidentId: string }) {
  const i = pm.incident;
  return (
    <>
      <p className="muted">
        <Link to="/incidents">Incidents</Link> / <Link to={`/incidents/${i.id}`}>#{i.number}</Link> /
        Postmortem
      </p>
      <PageHeader
        title={pm.title}
        description={[
          i.priority ? `${i.priority}${i.severity ? ` · ${i.severity}` : ""}` : null,
          `started ${fmtTime(Date.parse(i.startedAt))}`,
          i.resolvedAt ? `resolved ${fmtTime(Date.parse(i.resolvedAt))}` : "not resolved",
          `due ${fmtTime(Date.parse(pm.dueAt))}${pm.required ? " (required by its priority)" : ""}`,
        ]
          .filter(Boolean)
          .join(" · ")}
      >
        <StatusBadge tone={STATUS_TONE[pm.status]} testId="postmortem-status">
          {STATUS_LABEL[pm.status]}
        </StatusBadge>
        {pm.overdue && (
          <StatusBadge tone="firing" testId="postmortem-overdue">
            Overdue
          </StatusBadge>
        )}
      </PageHeader>
      <p className="blameless-note" role="note">
        Blameless: describe what the systems and people knew and did at the time, and the conditions that made
        it reasonable. “Regardless of what we discover, we understand and truly believe that everyone did the
        best job they could, given what they knew at the time” (N. Kerth, the Prime Directive).
      </p>
      <StatusActions pm={pm} incidentId={incidentId} />
      <Impact pm={pm} />
      <div className="postmortem-layout">
        <Sections pm={pm} incidentId={incidentId} />
        <Timeline pm={pm} incidentId={incidentId} />
      </div>
      <ActionItems pm={pm} incidentId={incidentId} />
    </>
  );
}

function StatusActions({ pm, incidentId }: { pm: PostmortemResponse; incidentId: string }) {
  const patch = usePatchPostmortem(incidentId);
  const moves: [PostmortemStatus, string][] =
    pm.status === "draft"
      ? [["in_review", "Send to review"]]
      : pm.status === "in_review"
        ? [
            ["published", "Publish"],
            ["draft", "Back to draft"],
          ]
        : [["in_review", "Reopen for review"]];
  return (
    <div className="actions postmortem-status" aria-label="Postmortem status">
      {moves.map(([to, label]) => (
        <button
          key={to}
          type="button"
          className={to === "draft" ? "secondary" : undefined}
          disabled={patch.isPending}
          onClick={() => patch.mutate({ status: to })}
        >
          {label}
        </button>
      ))}
      <a
        className="button"
        href={`/api/v1/incidents/${encodeURIComponent(incidentId)}/postmortem.md`}
        download={`postmortem-incident-${pm.incident.number}.md`}
      >
        Export as Markdown
      </a>
      {patch.isError && (
        <span role="alert" className="error">
          {errorMessage(patch.error)}
        </span>
      )}
    </div>
  );
}

function Impact({ pm }: { pm: PostmortemResponse }) {
  return (
    <section aria-labelledby="impact-h">
      <h2 id="impact-h">Impact on the error budgets</h2>
      {pm.impact.length === 0 ? (
        <p className="muted">The incident names no service with an SLO.</p>
      ) : (
        <DataTable
          label="Error budget consumed during the incident"
          rows={pm.impact}
          rowKey={(r) => `${r.sloId}-${r.region ?? "all"}`}
          columns={[
            { header: "SLO", cell: (r) => <Link to={`/slos/${r.sloId}`}>{`${r.service} · ${r.slo}`}</Link> },
            { header: "Region", cell: (r) => r.region ?? "all" },
            {
              header: "Bad during the incident",
              cell: (r) => `${r.badDuring.toLocaleString("en")} ${r.unit}`,
            },
            { header: "Budget consumed", cell: (r) => <strong>{pct(r.consumedFraction)}</strong> },
            { header: "Budget left", cell: (r) => `${pct(r.remainingBefore)} → ${pct(r.remainingAfter)}` },
          ]}
        />
      )}
    </section>
  );
}

const sectionValues = (pm: PostmortemResponse) =>
  Object.fromEntries(SECTIONS.map(([k]) => [k, pm[k]])) as Record<SectionKey, string>;

function Sections({ pm, incidentId }: { pm: PostmortemResponse; incidentId: string }) {
  const patch = usePatchPostmortem(incidentId);
  const labels = Object.fromEntries(SECTIONS.map(([k, l]) => [k, l]));
  const form = useForm({ title: pm.title, ...sectionValues(pm) }, { title: "Title", ...labels });
  const locked = pm.status === "published";
  async function submit(e: FormEvent) {
    e.preventDefault();
    await form.submit(
      PatchPostmortemBody,
      { ...form.values, expectedUpdatedAt: pm.updatedAt },
      patch.mutateAsync,
    );
  }
  return (
    <form
      className="form card-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label="Postmortem sections"
    >
      <h2>Write-up</h2>
      {locked && <p className="muted">Published: reopen it for review to edit.</p>}
      <fieldset disabled={locked || form.busy}>
        <TextField form={form} name="title" id="pm-title" label="Title" />
        {SECTIONS.map(([k, label, hint]) => (
          <TextAreaField
            key={k}
            form={form}
            name={k}
            id={`pm-${k}`}
            label={label}
            hint={hint || undefined}
            rows={k === "summary" || k === "rootCauses" ? 4 : 3}
          />
        ))}
      </fieldset>
      {pm.wordingHints.length > 0 && (
        <ul className="wording-hints" aria-label="Blameless wording hints">
          {pm.wordingHints.map((h, n) => (
            <li key={n}>
              <strong>{SECTIONS.find(([k]) => k === h.section)?.[1] ?? h.section}</strong>: “{h.phrase}” —{" "}
              {h.hint}
            </li>
          ))}
        </ul>
      )}
      {!locked && <FormFooter form={form}>Save postmortem</FormFooter>}
      {patch.isSuccess && !form.busy && <span role="status">Saved.</span>}
    </form>
  );
}

function Timeline({ pm, incidentId }: { pm: PostmortemResponse; incidentId: string }) {
  const patch = usePatchPostmortem(incidentId);
  const form = useForm({ at: "", text: "" }, { at: "Time", text: "Note", timeline: "Timeline" });
  async function submit(e: FormEvent) {
    e.preventDefault();
    const atMs = Date.parse(form.values.at);
    if (!Number.isFinite(atMs)) return form.setErrors({ at: "Time: pick a date and time" });
    if (!form.values.text.trim()) return form.setErrors({ text: "Note: write what happened" });
    const entry = {
      at: new Date(atMs).toISOString(),
      kind: "note",
      text: form.values.text.trim(),
      author: null,
    };
    if (
      await form.submit(
        PatchPostmortemBody,
        { timeline: [...pm.timeline, entry], expectedUpdatedAt: pm.updatedAt },
        patch.mutateAsync,
      )
    )
      form.set("text", "");
  }
  return (
    <section aria-labelledby="pm-timeline-h">
      <h2 id="pm-timeline-h">Timeline</h2>
      <ol className="incident-timeline" data-testid="postmortem-timeline">
        {pm.timeline.map((e, n) => (
          <li key={n}>
            <time dateTime={e.at} className="muted">
              {fmtTime(Date.parse(e.at))}
            </time>
            <div>
              <strong>{e.kind.replace(/_/g, " ")}</strong>
              {e.author && <span className="muted"> · {e.author}</span>}
              {e.text && <p>{e.text}</p>}
            </div>
          </li>
        ))}
      </ol>
      {pm.status !== "published" && (
        <form
          className="form card-form"
          onSubmit={(e) => void submit(e)}
          noValidate
          aria-label="Add to the timeline"
        >
          <div className="form-row with-time">
            <TextField form={form} name="at" id="pm-note-at" label="Time" type="datetime-local" />
            <TextField form={form} name="text" id="pm-note-text" label="Note" />
          </div>
          <FormFooter form={form}>Add to the timeline</FormFooter>
        </form>
      )}
    </section>
  );
}

function ActionItems({ pm, incidentId }: { pm: PostmortemResponse; incidentId: string }) {
  const add = useAddActionItem(incidentId);
  const form = useForm(
    { title: "", owner: "", dueDate: "", priority: "P2", link: "" },
    { title: "Action", owner: "Owner", dueDate: "Due date", priority: "Priority", link: "Link" },
  );
  async function submit(e: FormEvent) {
    e.preventDefault();
    const v = form.values;
    const body = {
      title: v.title,
      owner: v.owner.trim(),
      dueDate: v.dueDate,
      priority: v.priority,
      ...(v.link.trim() ? { link: v.link.trim() } : {}),
    };
    if (await form.submit(CreateActionItemBody, body, add.mutateAsync)) {
      form.set("title", "");
      form.set("link", "");
    }
  }
  return (
    <section aria-labelledby="pm-actions-h">
      <h2 id="pm-actions-h">Action items</h2>
      {pm.actionItems.length === 0 ? (
        <p className="muted">No action item yet.</p>
      ) : (
        <DataTable
          label="Action items"
          rows={pm.actionItems}
          rowKey={(a) => a.id}
          rowProps={(a) => (a.overdue ? { className: "overdue" } : {})}
          columns={[
            { header: "Priority", cell: (a) => a.priority },
            { header: "Action", cell: (a) => <ActionTitle item={a} /> },
            { header: "Owner", cell: (a) => a.owner },
            {
              header: "Due",
              cell: (a) => (
                <>
                  {a.dueDate}
                  {a.overdue && (
                    <>
                      {" "}
                      <StatusBadge tone="firing">overdue</StatusBadge>
                    </>
                  )}
                </>
              ),
            },
            { header: "State", cell: (a) => <ItemState item={a} incidentId={incidentId} /> },
          ]}
        />
      )}
      <form
        className="form card-form"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-label="Add an action item"
      >
        <h3>Add an action item</h3>
        <TextField form={form} name="title" id="ai-title" label="Action" placeholder="Add a canary stage" />
        <div className="form-row">
          <TextField form={form} name="owner" id="ai-owner" label="Owner" type="email" />
          <TextField form={form} name="dueDate" id="ai-due" label="Due date" type="date" />
          <SelectField form={form} name="priority" id="ai-priority" label="Priority" choices={PRIORITIES} />
        </div>
        <TextField
          form={form}
          name="link"
          id="ai-link"
          label="Link"
          hint="The SLO or policy it changes (/slos/…), or a ticket URL"
        />
        <FormFooter form={form}>Add action item</FormFooter>
      </form>
    </section>
  );
}

function ActionTitle({ item }: { item: ActionItemResponse }) {
  if (!item.link) return <>{item.title}</>;
  return item.link.startsWith("/") ? (
    <Link to={item.link}>{item.title}</Link>
  ) : (
    <a href={item.link} rel="noopener noreferrer" target="_blank">
      {item.title}
    </a>
  );
}

function ItemState({ item, incidentId }: { item: ActionItemResponse; incidentId: string }) {
  const patch = usePatchActionItem(incidentId);
  const form = useForm({ state: item.state as string }, { state: "State" });
  return (
    <div className="item-state">
      <select
        aria-label={`State of ${item.title}`}
        value={form.values.state}
        disabled={patch.isPending}
        onChange={(e) => {
          form.set("state", e.target.value);
          patch.mutate({ id: item.id, body: { state: e.target.value as ActionItemResponse["state"] } });
        }}
      >
        {ITEM_STATES.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
      {patch.isError && <FormError errors={{ form: errorMessage(patch.error) }} />}
    </div>
  );
}
