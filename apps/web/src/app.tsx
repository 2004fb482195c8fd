import { Suspense, type ReactNode } from "react";
import { NavLink, Navigate, Route, Routes, useLocation } from "react-router";
import { ApiError, useMe, useSignOut } from "./api";
import { NotFound } from "./components/not-found";
import { PageTitle } from "./components/page-title";
import { ShellPickers } from "./components/shell-pickers";
import { Loading } from "./components/states";
import { ThemeToggle } from "./components/theme-toggle";
import * as P from "./routes";

/**
 * Shown while a page's code loads: the page's frame (a header and a body placeholder, so nothing jumps when the
 * page arrives), marked busy, with a status line for screen readers.
 */
export function PageLoading() {
  return (
    <div className="page page-loading" aria-busy="true" data-testid="page-loading">
      <div className="page-head" aria-hidden="true">
        <div>
          <div className="skeleton skeleton-title" />
          <div className="skeleton skeleton-line" />
        </div>
      </div>
      <Loading what="the page" />
      <div className="skeleton skeleton-block" aria-hidden="true" />
    </div>
  );
}

/**
 * A route's page with its title, loaded on first visit. Each route has a boundary of its own (keyed by its
 * title): opening a page whose code is not loaded yet shows PageLoading at once instead of leaving the previous
 * page on screen until the code arrives.
 */
function page(title: string, element: ReactNode) {
  return (
    <>
      <PageTitle page={title} />
      <Suspense key={title} fallback={<PageLoading />}>
        {element}
      </Suspense>
    </>
  );
}

export function App() {
  const me = useMe();
  const location = useLocation();
  const signOut = useSignOut();
  if (me.isLoading) return <div className="page muted">Loading…</div>;
  const signedIn = me.isSuccess;
  if (!signedIn && location.pathname !== "/login") {
    if (me.error instanceof ApiError && me.error.status !== 401)
      return <div className="page error">Cannot reach the API: {me.error.message}</div>;
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      {signedIn && (
        <header className="topbar">
          <span className="brand" aria-label="Burnrate">
            <span className="dot" aria-hidden="true" /> Burnrate
          </span>
          <nav aria-label="Main">
            <NavLink to="/" end>
              Overview
            </NavLink>
            <NavLink to="/alerts">Alerts</NavLink>
            <NavLink to="/incidents">Incidents</NavLink>
            <NavLink to="/oncall">On call</NavLink>
            <NavLink to="/periods">Budgets by period</NavLink>
            <NavLink to="/indicators">Indicators</NavLink>
            <NavLink to="/slas">SLAs</NavLink>
            <NavLink to="/slos/new">New SLO</NavLink>
            <NavLink to="/settings">Settings</NavLink>
          </nav>
          <ShellPickers />
          <span className="spacer" />
          <ThemeToggle />
          <span className="muted who" title={me.data?.email ?? me.data?.name}>
            {me.data?.email ?? me.data?.name}
          </span>
          <button
            className="link"
            title={me.data?.email ? `Signed in as ${me.data.email}` : undefined}
            onClick={() =>
              // the cache is cleared on success, which re-renders the shell: awaited here, not in a callback
              void signOut.mutateAsync().then(() => window.location.assign("/login"))
            }
          >
            Sign out
          </button>
        </header>
      )}
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route
            path="/login"
            element={signedIn ? <Navigate to="/" replace /> : page("Sign in", <P.LoginPage />)}
          />
          <Route path="/" element={page("Overview", <P.OverviewPage />)} />
          <Route path="/slos/new" element={page("New SLO", <P.EditorPage />)} />
          <Route path="/slos/:id" element={page("SLO", <P.SloPage />)} />
          <Route path="/slos/:id/edit" element={page("Edit SLO", <P.EditorPage />)} />
          <Route path="/teams/:slug" element={page("Team", <P.TeamPage />)} />
          <Route path="/teams/:slug/policy" element={page("Error budget policy", <P.PolicyPage />)} />
          <Route path="/teams/:slug/newsletter" element={page("Newsletter", <P.NewsletterPage />)} />
          <Route path="/newsletter" element={page("Newsletter", <P.NewsletterPage />)} />
          <Route path="/regions/:slug" element={page("Region", <P.RegionPage />)} />
          <Route path="/services/:slug" element={page("Service", <P.ServicePage />)} />
          <Route path="/periods" element={page("Budgets by period", <P.PeriodsPage />)} />
          <Route path="/indicators" element={page("Indicators", <P.IndicatorsPage />)} />
          <Route path="/adoption" element={page("SRE adoption", <P.AdoptionPage />)} />
          <Route path="/slas" element={page("SLAs", <P.SlasPage />)} />
          <Route path="/slas/new" element={page("New SLA", <P.NewSlaPage />)} />
          <Route path="/slas/:id" element={page("SLA", <P.SlaPage />)} />
          <Route path="/slas/:id/edit" element={page("Edit SLA", <P.EditSlaPage />)} />
          <Route path="/alerts" element={page("Alerts", <P.AlertsPage />)} />
          <Route path="/incidents" element={page("Incidents", <P.IncidentsPage />)} />
          <Route path="/incidents/:id" element={page("Incident", <P.IncidentPage />)} />
          <Route path="/incidents/:id/postmortem" element={page("Postmortem", <P.PostmortemPage />)} />
          <Route path="/oncall" element={page("On call", <P.OncallPage />)} />
          <Route path="/settings" element={page("Settings", <P.SettingsPage />)} />
          <Route path="/settings/:tab" element={page("Settings", <P.SettingsPage />)} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
    </>
  );
}
