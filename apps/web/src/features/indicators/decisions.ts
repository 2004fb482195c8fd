/**
 * "What to decide" guidance per indicator (book §11.1, Tbl 11.5; the workflows of §11.5, Tbls 11.6–11.14):
 * the decision categories an indicator informs, who usually decides, the questions to ask, and the guided
 * workflows it is a step of. Guidance for a team's discussion: it scores services, never people.
 */
export interface DecisionCategory {
  name: string;
  decisions: string;
  roles: string;
  questions: string[];
}

const C = {
  prioritization: {
    name: "Prioritization",
    decisions: "Which services need reliability work next; enact or adapt the error budget policy.",
    roles: "Product owner, developers, operations engineers",
    questions: [
      "Have the error budget policy's depletion conditions been met? Then enact it.",
      "Does enacting it still leave an unsatisfactory user experience, or come too late? Then adapt the policy.",
      "Which services exhausted budgets prematurely across all SLIs in the last three periods?",
      "Which are the fastest premature exhausters per SLI in the last three periods?",
      "Is the service customer-facing?",
    ],
  },
  development: {
    name: "Development",
    decisions: "Consume an API; build adaptive capacity; check whether a reliability improvement worked.",
    roles: "Developers, architects",
    questions: [
      "What reliability, SLOs and SLAs does the API define, and are they enough for the intended use cases?",
      "What is its historical adherence in the target deployment environments?",
      "Did depletion drop in the periods after a reliability improvement compared with the periods before?",
    ],
  },
  deployment: {
    name: "Deployment",
    decisions: "Deny a deployment into an environment.",
    roles: "Developers, operations engineers",
    questions: [
      "Does the service's depletion match a policy condition whose consequence is to deny production deployments?",
      "Are SLOs defined as entry criteria for deploying into a non-production environment?",
    ],
  },
  conversation: {
    name: "Conversation",
    decisions: "Ask a dependency's owners to tighten their SLOs.",
    roles: "Developers, architects, product owner",
    questions: [
      "Does a new customer use case, with a new interaction with a dependency, need tighter dependency SLOs?",
      "Do the dependency's endpoints end most periods with budget left, so tightening may cost them little?",
    ],
  },
  reliability: {
    name: "Reliability",
    decisions: "Set the SLOs of your own service.",
    roles: "Operations engineers, developers, product owner",
    questions: [
      "What are the SLOs and SLAs of the internal dependencies, and the SLAs of the external ones?",
      "What adaptive capacity is in place against each dependency?",
      "What is each dependency's highest assured service level: undefined, low, medium or high?",
    ],
  },
  test: {
    name: "Test",
    decisions: "Choose a chaos-engineering hypothesis.",
    roles: "Developers, operations engineers",
    questions: [
      "Which services consistently defend their SLOs, and which have the tightest ones?",
      "Which depleted availability slowest, or used the least availability and latency budget, in the last three periods?",
      "Are there unusual patterns, such as small regular depletion blips, in SLOs that were defended?",
    ],
  },
  requirement: {
    name: "Requirement",
    decisions: "Add behaviour-driven scenarios.",
    roles: "Product owner, developers",
    questions: [
      "Which SLIs were depleted most per service in the last period?",
      "Which scenarios follow from the postmortems of the last three periods?",
    ],
  },
  budget: {
    name: "Budget",
    decisions: "More SRE capacity for a team or an org unit; a reliability project's budget.",
    roles: "Development and operations managers",
    questions: [
      "Which teams' services consistently exhausted some budgets in the last three periods?",
      "Does the team have an on-call rotation, and is it staffed well enough?",
      "What are the twelve-month ticket and time-to-recovery trends of the team's services?",
      "The data informs the conversation; it must not decide staffing by itself. Re-check a few months later.",
    ],
  },
  legal: {
    name: "Legal",
    decisions: "Set your own SLAs; agree to contractual penalties.",
    roles: "Legal counsel, general managers, product owner",
    questions: [
      "What is the historical adherence of your own SLOs? Is there room to tighten the SLAs, and could you defend them?",
      "What safety margin between SLO and SLA is reasonable?",
      "Are the time-to-detection and time-to-recovery trends falling?",
    ],
  },
  regulatory: {
    name: "Regulatory",
    decisions: "Use SRE data in compliance audits.",
    roles: "Compliance managers, regulatory process owners, auditors",
    questions: [
      "Where are the SLIs, SLOs and SLAs stated per service, and who decided them?",
      "Where is the data evidencing their fulfilment, and the consequences of breaking them?",
    ],
  },
} satisfies Record<string, DecisionCategory>;

export interface DecisionGuide {
  categories: DecisionCategory[];
  /** The guided workflows (book §11.5) this indicator is a step of */
  workflows: string[];
}

/** Per indicator id on the indicators page. */
export const DECISIONS: Record<string, DecisionGuide> = {
  "slos-by-service": {
    categories: [C.development, C.conversation, C.reliability, C.test, C.legal, C.regulatory],
    workflows: [
      "Consuming an API, step 1: no SLO on the API stops the workflow; ask its owners to define SLOs around the customer use cases (Tbl 11.6).",
      "Setting an SLO, step 3, for each internal dependency (Tbl 11.9).",
      "Choosing a chaos hypothesis, step 1 (Tbl 11.12).",
    ],
  },
  adherence: {
    categories: [
      C.prioritization,
      C.development,
      C.conversation,
      C.reliability,
      C.test,
      C.budget,
      C.legal,
      C.regulatory,
    ],
    workflows: [
      "Consuming an API, step 2: how often the API's SLO held in the chosen periods (Tbl 11.6).",
      "Features vs reliability, step 1: the long-term error budget breakers (Tbl 11.7).",
      "Setting an SLO, step 4 (Tbl 11.9).",
      "Allocating SRE capacity to a team, step 1: low adherence period after period (Tbl 11.11).",
      "Choosing a chaos hypothesis, step 2: services that consistently defend their SLOs (Tbl 11.13).",
    ],
  },
  depletion: {
    categories: [C.prioritization, C.development, C.deployment, C.conversation, C.test, C.requirement],
    workflows: [
      "Consuming an API, step 3: depletion trends, their link to deployments, and how quickly depletion is stopped (Tbl 11.6).",
      "Tightening a dependency's SLO: do its endpoints end most periods with budget left?",
      "Features vs reliability, step 3: the fastest depleters, whether or not they ran out (Tbl 11.7).",
      "Choosing a chaos hypothesis, step 3: unusual patterns in defended SLOs (Tbl 11.14).",
    ],
  },
  premature: {
    categories: [C.prioritization, C.budget],
    workflows: [
      "Features vs reliability, step 2: the fastest exhausters and the biggest shortage per period (Tbl 11.7).",
    ],
  },
  "least-available": {
    categories: [C.prioritization],
    workflows: [
      "Features vs reliability, step 4: the least available endpoints, with or without an SLO (Tbl 11.8).",
    ],
  },
  slowest: {
    categories: [C.prioritization],
    workflows: ["Features vs reliability, step 5: the slowest endpoints, with or without an SLO (Tbl 11.8)."],
  },
};
