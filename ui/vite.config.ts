import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Tauri loads ui/dist from disk; the dev server is only for `tauri dev`.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true, host: "localhost" },
  build: {
    target: "es2022",
    // One CSS file and no inline <style>: the CSP allows styles from 'self' only.
    cssCodeSplit: false,
    assetsInlineLimit: 0,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "./vitest.client-env.ts",
    // Times are shown in the machine's zone: the tests fix it, so they pass on any machine.
    env: { TZ: "Europe/Oslo" },
  },
});
