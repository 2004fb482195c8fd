import { NavLink, Navigate, Route, Routes, useLocation } from "react-router";
import { ApiError, useMe, useSignOut } from "./api";
import { ShellPickers } from "./components/shell-pickers";
import { AlertsPage } from "./features/alerts/alerts-page";
import { EditorPage } from "./features/editor/editor-page";
import { IndicatorsPage } from "./features/indicators/indicators-page";
import { LoginPage } from "./features/login/login-page";
import { OncallPage } from "./features/oncall/oncall-page";
import { OverviewPage } from "./features/overview/overview-page";
import { PeriodsPage } from "./features/periods/periods-page";
import { PolicyPage } from "./features/policy/policy-page";
import { RegionPage } from "./features/region/region-page";
import { ServicePage } from "./features/service/service-page";
import { SettingsPage } from "./features/settings/settings-page";
import { SloPage } from "./features/slo/slo-page";
import { TeamPage } from "./features/team/team-page";

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
      {signedIn && (
        <header className="topbar">
          <span className="brand" aria-label="Burnrate">
            <span className="dot" /> Burnrate
          </span>
          <nav aria-label="Main">
            <NavLink to="/" end>
              Overview
            </NavLink>
            <NavLink to="/alerts">Alerts</NavLink>
            <NavLink to="/oncall">On call</NavLink>
            <NavLink to="/periods">Budgets by period</NavLink>
            <NavLink to="/indicators">Indicators</NavLink>
            <NavLink to="/slos/new">New SLO</NavLink>
            <NavLink to="/settings">Settings</NavLink>
          </nav>
          <ShellPickers />
          <span className="spacer" />
          <span className="muted">{me.data?.email ?? me.data?.name}</span>
          <button
            className="link"
            onClick={() =>
              // the cache is cleared on success, which re-renders the shell: awaited here, not in a callback
              void signOut.mutateAsync().then(() => window.location.assign("/login"))
            }
          >
            Sign out
          </button>
        </header>
      )}
      <main>
        <Routes>
          <Route path="/login" element={signedIn ? <Navigate to="/" replace /> : <LoginPage />} />
          <Route path="/" element={<OverviewPage />} />
          <Route path="/slos/new" element={<EditorPage />} />
          <Route path="/slos/:id" element={<SloPage />} />
          <Route path="/slos/:id/edit" element={<EditorPage />} />
          <Route path="/teams/:slug" element={<TeamPage />} />
          <Route path="/teams/:slug/policy" element={<PolicyPage />} />
          <Route path="/regions/:slug" element={<RegionPage />} />
          <Route path="/services/:slug" element={<ServicePage />} />
          <Route path="/periods" element={<PeriodsPage />} />
          <Route path="/indicators" element={<IndicatorsPage />} />
          <Route path="/alerts" element={<AlertsPage />} />
          <Route path="/oncall" element={<OncallPage />} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="/settings/:tab" element={<SettingsPage />} />
          <Route path="*" element={<div className="page">Page not found.</div>} />
        </Routes>
      </main>
    </>
  );
}
