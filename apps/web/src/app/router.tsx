import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { Spinner } from '@/components/ui/spinner';
import { ProtectedRoute } from '@/features/auth/components/protected-route';
import { useSession } from '@/hooks/use-session';
import { AppLayout } from './app-layout';
import { NotFoundRoute } from './routes/not-found';

// Each page is its own chunk. The login page loads zod (for the shared login schema) only once the user
// types, so its first paint needs React and the form alone.
const LoginRoute = lazy(() => import('./routes/login').then((module) => ({ default: module.LoginRoute })));
const SetPasswordRoute = lazy(() => import('./routes/set-password').then((module) => ({ default: module.SetPasswordRoute })));
const SignupRoute = lazy(() => import('./routes/signup').then((module) => ({ default: module.SignupRoute })));
const VerifyEmailRoute = lazy(() => import('./routes/signup').then((module) => ({ default: module.VerifyEmailRoute })));
const CasesRoute = lazy(() => import('./routes/cases').then((module) => ({ default: module.CasesRoute })));
const BoardRoute = lazy(() => import('./routes/board').then((module) => ({ default: module.BoardRoute })));
const CaseRoute = lazy(() => import('./routes/case').then((module) => ({ default: module.CaseRoute })));
const NewCaseRoute = lazy(() => import('./routes/new-case').then((module) => ({ default: module.NewCaseRoute })));
const AlertsRoute = lazy(() => import('./routes/alerts').then((module) => ({ default: module.AlertsRoute })));
const SettingsRoute = lazy(() => import('./routes/settings').then((module) => ({ default: module.SettingsRoute })));
const PreferencesRoute = lazy(() => import('./routes/preferences').then((module) => ({ default: module.PreferencesRoute })));
const MyWorkRoute = lazy(() => import('./routes/my-work').then((module) => ({ default: module.MyWorkRoute })));
// recharts lives only in this chunk: the board never downloads it.
const AnalyticsRoute = lazy(() => import('./routes/analytics').then((module) => ({ default: module.AnalyticsRoute })));

/** Home: engineers start at their own work, everyone else at the board. */
function HomeRedirect() {
  const { session } = useSession();
  return <Navigate to={session?.user.role === 'engineer' ? '/my-work' : '/board'} replace />;
}

function PageFallback() {
  return (
    <div className="page-fallback">
      <Spinner size="md" label="Loading page" />
    </div>
  );
}

/**
 * Every page of the app. Declarative routes (no data router): pages load their data with React Query,
 * which keeps react-router's share of the bundle small.
 */
export function AppRoutes() {
  return (
    <Suspense fallback={<PageFallback />}>
      <Routes>
        <Route path="/login" element={<LoginRoute />} />
        <Route path="/set-password" element={<SetPasswordRoute />} />
        <Route path="/signup" element={<SignupRoute />} />
        <Route path="/verify-email" element={<VerifyEmailRoute />} />
        <Route element={<ProtectedRoute />}>
          <Route element={<AppLayout />}>
            <Route index element={<HomeRedirect />} />
            <Route path="board" element={<BoardRoute />} />
            <Route path="cases" element={<CasesRoute />} />
            <Route path="cases/new" element={<NewCaseRoute />} />
            <Route path="cases/:caseId" element={<CaseRoute />} />
            <Route path="alerts" element={<AlertsRoute />} />
            <Route path="analytics" element={<AnalyticsRoute />} />
            <Route path="settings" element={<SettingsRoute />} />
            <Route path="my-work" element={<MyWorkRoute />} />
            <Route path="preferences" element={<PreferencesRoute />} />
            <Route path="*" element={<NotFoundRoute />} />
          </Route>
        </Route>
      </Routes>
    </Suspense>
  );
}
