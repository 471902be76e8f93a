import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// `npm start` serves the app on :5173 and forwards the API and the admin to Django on :8000.
const django = "http://localhost:8000";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/api": django,
      "/admin": django,
      "/static": django,
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/testing/setup.ts"],
    testTimeout: 30_000, // as findBy* above: slow on a busy machine is not broken
    restoreMocks: true,
  },
});
