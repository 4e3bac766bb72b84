import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Component styles go to the CSS file, never to injected <style> tags (CSP: style-src 'self').
    css: "external",
  },
};
