import { lazy } from "react";
import { createBrowserRouter, Outlet } from "react-router";
import { ToastProvider } from "../components/toast";
import { AppShell } from "./app-shell";
import { LoginPage } from "./routes/login-page";

const HomePage = lazy(() => import("./routes/home-page").then((module) => ({ default: module.HomePage })));
const ListViewPage = lazy(() =>
  import("../records/list-view/list-view-page").then((module) => ({ default: module.ListViewPage })),
);
const RecordPage = lazy(() =>
  import("../records/record-page/record-page").then((module) => ({ default: module.RecordPage })),
);
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
      path: "/",
      element: <AppShell />,
      children: [
        { index: true, element: <HomePage /> },
        { path: "o/:object", element: <ListViewPage /> },
        { path: "o/:object/:id", element: <RecordPage /> },
        { path: "*", element: <NotFoundPage /> },
      ],
    },
];
