import type { SloResponse } from "@burnrate/contracts";
import type { SloModel } from "@burnrate/slo-core";
import type { SliTarget } from "../sli-store/sli-target";
import { parseSloSpec, type SloSpec, type SloWithService } from "./slo-row";
import { toSloModel } from "./to-slo-model";
import { sloResponseOf } from "./to-slo-response";

/**
 * A stored SLO and what its row gives: the parsed specification, the API shape, the SLI store's target and the
 * slo-core model. Each is built from the row on first use and kept, so a caller pays only for what it reads
 * (the evaluation cycle never builds API shapes). A bad row throws where a field is first read.
 */
export class LoadedSlo {
  #spec: SloSpec | undefined;
  #response: SloResponse | undefined;
  #target: SliTarget | undefined;

  constructor(readonly row: SloWithService) {}

  get id(): string {
    return this.row.id;
  }

  /** The JSON and enumerated columns, parsed with the contracts. */
  get spec(): SloSpec {
    return (this.#spec ??= parseSloSpec(this.row));
  }

  /** The API shape (GET /slos/:id). */
  get response(): SloResponse {
    return (this.#response ??= sloResponseOf(this.row, this.spec));
  }

  /** What the SLI store needs to recompute the SLO from the rollups. */
  get target(): SliTarget {
    return (this.#target ??= {
      sloId: this.row.id,
      serviceId: this.row.serviceId,
      endpointId: this.row.endpointId,
      failureStatuses: this.row.service.failureStatuses,
      sli: this.spec.sli,
    });
  }

  /**
   * The slo-core model at `atMs`. An argument, not a field: the tiers' budgets follow the length of the period
   * in force at that instant (calendar months differ).
   */
  model(atMs: number): SloModel {
    return toSloModel({ objectivePercent: this.row.objectivePercent, ...this.spec }, atMs);
  }
}
