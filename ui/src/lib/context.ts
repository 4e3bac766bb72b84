// What the whole component tree shares, by Svelte context rather than a prop passed down
// through every level: the backend (the one door to Rust). App.svelte provides the instance
// main.ts made; a component that calls Rust takes it with `useBackend()` while it is
// initialised. The key is typed: what is provided is a `Backend`, what is taken is one.
import { createContext } from "svelte";
import type { Backend } from "./backend";

const [useBackend, provideBackend] = createContext<Backend>();

export { provideBackend, useBackend };
