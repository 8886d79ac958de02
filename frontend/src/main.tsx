import "@salesforce-ux/design-system/assets/styles/salesforce-lightning-design-system.css";
import "./styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { Providers } from "./app/providers";
import { createRouter } from "./app/router";
import { initI18n } from "./lib/i18n";
import { createQueryClient } from "./lib/query-client";

initI18n();
const queryClient = createQueryClient();
const router = createRouter();

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <Providers queryClient={queryClient}>
      <RouterProvider router={router} />
    </Providers>
  </StrictMode>,
);
