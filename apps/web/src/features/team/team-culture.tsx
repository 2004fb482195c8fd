import { WESTRUM_ASPECTS, type WestrumAspect } from "@burnrate/slo-core";
import { useState, type FormEvent } from "react";
import { usePutCulture, useTeamCulture } from "../../api";
import { DataTable } from "../../components/data-table";
import { ErrorText } from "../../components/error-text";
import "./team.css";

type Scores = Record<WestrumAspect, string>;
const EMPTY = Object.fromEntries(WESTRUM_ASPECTS.map((a) => [a, ""])) as Scores;

/**
 * The team's self-assessment of its culture (Westrum's six aspects, 1-5 each), answered once a quarter by the
 * team together, and its answers of earlier quarters. It assesses the team's practice, never individuals.
 */
export function TeamCulture({ slug }: { slug: string }) {
  const culture = useTeamCulture(slug);
  const put = usePutCulture(slug);
  const d = culture.data;
  const current = d?.quarters.find((q) => q.quarter === d.currentQuarter) ?? null;
  const [edits, setEdits] = useState<{ of: string | null; scores: Scores; note: string } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // the form starts from this quarter's answers when the team has given them, until edited
  const startScores = current
    ? (Object.fromEntries(WESTRUM_ASPECTS.map((a) => [a, String(current.scores[a])])) as Scores)
    : EMPTY;
  const of = current?.updatedAt ?? null;
  const scores = edits && edits.of === of ? edits.scores : startScores;
  const note = edits && edits.of === of ? edits.note : (current?.note ?? "");
  const setScores = (next: Scores) => setEdits({ of, scores: next, note });
  const setNote = (next: string) => setEdits({ of, scores, note: next });
  if (!d) return null;
  const missing = WESTRUM_ASPECTS.filter((a) => scores[a] === "");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    put.mutate(
      {
        quarter: d.currentQuarter,
        body: {
          ...(Object.fromEntries(WESTRUM_ASPECTS.map((a) => [a, Number(scores[a])])) as Record<
            WestrumAspect,
            number
          >),
          note: note.trim() || null,
        },
      },
      {
        onSuccess: (a) => setSaved(`Saved for ${a.quarter}: mean ${a.mean.toFixed(1)} of 5 (${a.type}).`),
      },
    );
  };
  return (
    <section aria-labelledby="culture-h" className="team-culture">
      <h2 id="culture-h">Team self-assessment</h2>
      <p className="muted">
        Once a quarter the team scores its own practice on Westrum&apos;s six aspects of culture, from 1 (not
        at all) to 5 (fully). It assesses the team&apos;s practice, never individuals, and is not used to
        appraise anyone.
      </p>
      <form onSubmit={submit} aria-label="Self-assessment" className="culture-form">
        <fieldset>
          <legend>{d.currentQuarter}</legend>
          {d.aspects.map((a) => (
            <label key={a.aspect}>
              <span className="culture-label">{a.label}</span>
              <span className="muted small">{a.statement}</span>
              <select
                aria-label={a.label}
                value={scores[a.aspect]}
                onChange={(e) => setScores({ ...scores, [a.aspect]: e.target.value })}
              >
                <option value="">–</option>
                {[1, 2, 3, 4, 5].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <label>
            <span className="culture-label">Note</span>
            <textarea aria-label="Note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
        </fieldset>
        <button type="submit" disabled={put.isPending || missing.length > 0}>
          {current ? "Update this quarter's answers" : "Save this quarter's answers"}
        </button>
        <ErrorText error={put.error} />
        {saved && (
          <p role="status" className="muted">
            {saved}
          </p>
        )}
      </form>
      {d.quarters.length > 0 && (
        <DataTable
          label="Self-assessments by quarter"
          rows={[...d.quarters].reverse()}
          rowKey={(q) => q.quarter}
          rowProps={() => ({ "data-testid": "culture-row" })}
          columns={[
            { header: "Quarter", cell: (q) => q.quarter },
            ...d.aspects.map((a) => ({
              key: a.aspect,
              header: a.label,
              className: "num",
              cell: (q: (typeof d.quarters)[number]) => q.scores[a.aspect],
            })),
            { header: "Mean", className: "num", cell: (q) => q.mean.toFixed(1) },
            { header: "Culture", cell: (q) => q.type },
          ]}
        />
      )}
    </section>
  );
}
