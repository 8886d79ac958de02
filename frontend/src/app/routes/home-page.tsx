// Home is the dashboard (features/dashboard).
export { DashboardPage as HomePage } from "../../features/dashboard/dashboard-page";
