/** What follows a change to an incident (stakeholder notices, …), run after it is stored. */
export interface IncidentEffects {
  changed(incidentId: string): Promise<void>;
}
