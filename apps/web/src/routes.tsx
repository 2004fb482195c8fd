import { lazy, type ComponentType, type LazyExoticComponent } from "react";

/** A page's module, loaded when the page is first opened: each page is a chunk of its own. */
function page<K extends string>(
  load: () => Promise<Record<K, ComponentType>>,
  name: K,
): LazyExoticComponent<ComponentType> {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}

export const OverviewPage = page(() => import("./features/overview/overview-page"), "OverviewPage");
export const AlertsPage = page(() => import("./features/alerts/alerts-page"), "AlertsPage");
export const EditorPage = page(() => import("./features/editor/editor-page"), "EditorPage");
export const IncidentsPage = page(() => import("./features/incidents/incidents-page"), "IncidentsPage");
export const IncidentPage = page(() => import("./features/incidents/incident-page"), "IncidentPage");
export const PostmortemPage = page(() => import("./features/incidents/postmortem-page"), "PostmortemPage");
export const IndicatorsPage = page(() => import("./features/indicators/indicators-page"), "IndicatorsPage");
export const LoginPage = page(() => import("./features/login/login-page"), "LoginPage");
export const OncallPage = page(() => import("./features/oncall/oncall-page"), "OncallPage");
export const PeriodsPage = page(() => import("./features/periods/periods-page"), "PeriodsPage");
export const PolicyPage = page(() => import("./features/policy/policy-page"), "PolicyPage");
export const RegionPage = page(() => import("./features/region/region-page"), "RegionPage");
export const ServicePage = page(() => import("./features/service/service-page"), "ServicePage");
export const SettingsPage = page(() => import("./features/settings/settings-page"), "SettingsPage");
export const SloPage = page(() => import("./features/slo/slo-page"), "SloPage");
export const TeamPage = page(() => import("./features/team/team-page"), "TeamPage");
export const SlasPage = page(() => import("./features/sla/slas-page"), "SlasPage");
export const SlaPage = page(() => import("./features/sla/sla-page"), "SlaPage");
export const NewSlaPage = page(() => import("./features/sla/sla-form-page"), "NewSlaPage");
export const EditSlaPage = page(() => import("./features/sla/sla-form-page"), "EditSlaPage");
export const AdoptionPage = page(() => import("./features/adoption/adoption-page"), "AdoptionPage");
export const NewsletterPage = page(() => import("./features/newsletter/newsletter-page"), "NewsletterPage");
