import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { shouldRetry } from "./api";
import { App } from "./app";
import "./styles/base.css";
import "./styles/dashboards.css";
import "./styles/pages.css";
import "./styles/escalation.css";
import "./styles/platform.css";

/** An answer younger than this is shown from the cache without asking the API again. */
const FRESH_FOR_MS = 10_000;

const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: FRESH_FOR_MS, refetchOnWindowFocus: false, retry: shouldRetry } },
});
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
