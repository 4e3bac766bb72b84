// A vitest environment that is plain Node (no DOM) but transforms modules for the client:
// Svelte then compiles `.svelte.ts` runes as the browser gets them ($state signals,
// cached $derived), so tests of reactive classes test the real reactivity.
import type { Environment } from "vitest/environments";

export default <Environment>{
  name: "client-node",
  viteEnvironment: "client",
  setup() {
    return { teardown() {} };
  },
};
