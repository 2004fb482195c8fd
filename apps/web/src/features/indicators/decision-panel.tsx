import { DECISIONS } from "./decisions";

/**
 * The "what to decide" panel of one indicator (book §11.5): the decisions it informs, who usually takes them,
 * the questions to ask, and the workflows it is a step of. Folded until opened; opened by its link's anchor.
 */
export function DecisionPanel({ id, indicator, title }: { id: string; indicator: string; title: string }) {
  const guide = DECISIONS[indicator];
  if (!guide) return null;
  return (
    <details className="decide" id={id} data-testid="decision-panel">
      <summary>What to decide with “{title}”</summary>
      <p className="muted">
        Guidance for the team's discussion. It describes services and their data, never people, and gives no
        scores.
      </p>
      <div className="decide-categories">
        {guide.categories.map((c) => (
          <section key={c.name} className="decide-category" aria-label={c.name}>
            <h3>{c.name}</h3>
            <p>
              {c.decisions} <span className="muted">Usually: {c.roles}.</span>
            </p>
            <ul>
              {c.questions.map((q) => (
                <li key={q}>{q}</li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      <h3>Workflows this indicator is a step of</h3>
      <ul>
        {guide.workflows.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </details>
  );
}
