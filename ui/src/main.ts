import "./locale";
import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { createTauriBackend } from "./lib/backend";

const target = document.getElementById("app");
if (target) mount(App, { target, props: { backend: createTauriBackend() } });
