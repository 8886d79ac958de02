import { lazy, Suspense } from "react";
import { createBrowserRouter, Navigate, Outlet } from "react-router";
import { ToastProvider } from "../components/toast";
import { AppShell } from "./app-shell";
import { LoginPage } from "./routes/login-page";
import "../objects/activity";
import "../objects/lead";
import "../objects/opportunity";
import "../objects/order";
import "../objects/contract";
import "../objects/payment";
import "../objects/sharing";
import "../objects/invoicing";
import "../objects/automation";
import "../objects/collections";
import "../objects/marketing";

const HomePage = lazy(() => import("../features/dashboard/dashboard-page").then((module) => ({ default: module.DashboardPage })));
const ListViewPage = lazy(() => import("../records/list-view/list-view-page").then((module) => ({ default: module.ListViewPage })));
const RecordPage = lazy(() => import("../records/record-page/record-page").then((module) => ({ default: module.RecordPage })));
const KanbanPage = lazy(() => import("../features/opportunity-kanban/kanban-page").then((module) => ({ default: module.KanbanPage })));
const TodoPage = lazy(() => import("../features/activities/todo/todo-page").then((module) => ({ default: module.TodoPage })));
const CalendarPage = lazy(() => import("../features/activities/calendar/calendar-page").then((module) => ({ default: module.CalendarPage })));
const ReportsPage = lazy(() => import("../features/reports/reports-page").then((module) => ({ default: module.ReportsPage })));
const UsersPage = lazy(() => import("../features/admin/users-page").then((module) => ({ default: module.UsersPage })));
const OrganizationSettingsPage = lazy(() =>
  import("../features/admin/organization-settings-page").then((module) => ({ default: module.OrganizationSettingsPage })),
);
const SharingSettingsPage = lazy(() => import("../features/admin/sharing-settings-page").then((module) => ({ default: module.SharingSettingsPage })));
const StageSettingsPage = lazy(() => import("../features/admin/stage-settings-page").then((module) => ({ default: module.StageSettingsPage })));
const JobsPage = lazy(() => import("../features/jobs/jobs-page").then((module) => ({ default: module.JobsPage })));
const ForgotPasswordPage = lazy(() => import("../features/team/password-pages").then((module) => ({ default: module.ForgotPasswordPage })));
const SetPasswordPage = lazy(() => import("../features/team/password-pages").then((module) => ({ default: module.SetPasswordPage })));
const AcceptInvitationPage = lazy(() => import("../features/team/accept-invitation-page").then((module) => ({ default: module.AcceptInvitationPage })));
const ProfilePage = lazy(() => import("../features/team/profile-page").then((module) => ({ default: module.ProfilePage })));
const TemplateStudioPage = lazy(() => import("../features/invoicing/template-studio-page").then((module) => ({ default: module.TemplateStudioPage })));
const WebFormsPage = lazy(() => import("../features/automation/web-forms-page").then((module) => ({ default: module.WebFormsPage })));
const WebhooksPage = lazy(() => import("../features/automation/webhooks-page").then((module) => ({ default: module.WebhooksPage })));
const WorkflowsPage = lazy(() => import("../features/automation/workflows-page").then((module) => ({ default: module.WorkflowsPage })));
const WorkflowBuilderPage = lazy(() => import("../features/automation/workflow-builder-page").then((module) => ({ default: module.WorkflowBuilderPage })));
const SignupPage = lazy(() => import("../features/saas/signup-pages").then((module) => ({ default: module.SignupPage })));
const VerifySignupPage = lazy(() => import("../features/saas/signup-pages").then((module) => ({ default: module.VerifySignupPage })));
const BillingPage = lazy(() => import("../features/saas/billing-page").then((module) => ({ default: module.BillingPage })));
const ReminderLevelsPage = lazy(() => import("../features/collections/reminder-levels-page").then((module) => ({ default: module.ReminderLevelsPage })));
const BankStatementsPage = lazy(() => import("../features/collections/bank-statements-page").then((module) => ({ default: module.BankStatementsPage })));
const ImportWizardPage = lazy(() => import("../features/imports/import-wizard-page").then((module) => ({ default: module.ImportWizardPage })));
const TagsAdminPage = lazy(() => import("../features/tags/tags-admin-page").then((module) => ({ default: module.TagsAdminPage })));
const RecycleBinPage = lazy(() => import("../features/recycle-bin/recycle-bin-page").then((module) => ({ default: module.RecycleBinPage })));
const NotFoundPage = lazy(() => import("./routes/not-found-page").then((module) => ({ default: module.NotFoundPage })));

export function createRouter() {
  return createBrowserRouter([
    {
      element: (
        <ToastProvider>
          <Outlet />
        </ToastProvider>
      ),
      children: routes,
    },
  ]);
}

const routes = [
  { path: "/login", element: <LoginPage /> },
  {
    path: "/forgot-password",
    element: (
      <Suspense fallback={null}>
        <ForgotPasswordPage />
      </Suspense>
    ),
  },
  {
    path: "/set-password",
    element: (
      <Suspense fallback={null}>
        <SetPasswordPage />
      </Suspense>
    ),
  },
  {
    path: "/reset-password",
    element: (
      <Suspense fallback={null}>
        <SetPasswordPage reset />
      </Suspense>
    ),
  },
  {
    path: "/accept-invitation",
    element: (
      <Suspense fallback={null}>
        <AcceptInvitationPage />
      </Suspense>
    ),
  },
  {
    path: "/signup",
    element: (
      <Suspense fallback={null}>
        <SignupPage />
      </Suspense>
    ),
  },
  {
    path: "/signup/verify",
    element: (
      <Suspense fallback={null}>
        <VerifySignupPage />
      </Suspense>
    ),
  },
  {
    path: "/",
    element: <AppShell />,
    children: [
      { index: true, element: <HomePage /> },
      { path: "o/opportunity/pipeline", element: <KanbanPage /> },
      { path: "o/:object", element: <ListViewPage /> },
      { path: "o/:object/import", element: <ImportWizardPage /> },
      { path: "o/:object/:id", element: <RecordPage /> },
      { path: "todo", element: <TodoPage /> },
      { path: "calendar", element: <CalendarPage /> },
      { path: "reports", element: <ReportsPage /> },
      { path: "setup", element: <Navigate to="/setup/users" replace /> },
      { path: "setup/users", element: <UsersPage /> },
      { path: "setup/stages", element: <StageSettingsPage /> },
      { path: "setup/organization", element: <OrganizationSettingsPage /> },
      { path: "setup/sharing", element: <SharingSettingsPage /> },
      { path: "setup/jobs", element: <JobsPage /> },
      { path: "setup/reminders", element: <ReminderLevelsPage /> },
      { path: "setup/bank", element: <BankStatementsPage /> },
      { path: "settings", element: <OrganizationSettingsPage /> },
      { path: "profile", element: <ProfilePage /> },
      { path: "setup/templates", element: <TemplateStudioPage /> },
      { path: "setup/web-forms", element: <WebFormsPage /> },
      { path: "setup/webhooks", element: <WebhooksPage /> },
      { path: "setup/workflows", element: <WorkflowsPage /> },
      { path: "setup/tags", element: <TagsAdminPage /> },
      { path: "recycle-bin", element: <RecycleBinPage /> },
      { path: "setup/workflows/:id", element: <WorkflowBuilderPage /> },
      { path: "setup/billing", element: <BillingPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];
