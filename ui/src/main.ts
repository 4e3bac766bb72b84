import "./locale";
import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { createTauriBackend } from "./lib/backend";

// Marks on the page's timeline for the start's breakdown (e2e/test_performance.py reads them).
performance.mark("malkart:script");
const target = document.getElementById("app");
if (target) mount(App, { target, props: { backend: createTauriBackend() } });
