import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { precompress } from "./build/precompress";

export default defineConfig({
  plugins: [react(), precompress()],
  server: { port: 5173, proxy: { "/api": "http://127.0.0.1:8080", "/docs": "http://127.0.0.1:8080" } },
  build: {
    outDir: "dist",
    // no source maps in the served build: they would publish the whole source
    sourcemap: false,
    rollupOptions: {
      output: {
        // the charting library (and its d3 parts) is a chunk of its own, loaded only by pages with charts
        manualChunks(id) {
          if (/node_modules\/.*\/(recharts|d3-[a-z-]+|victory-vendor|decimal\.js-light)\//.test(id))
            return "recharts";
          if (/node_modules\/.*\/(react|react-dom|scheduler|react-router|@tanstack)\//.test(id))
            return "react";
          return undefined;
        },
      },
    },
  },
});
