// Imported first by main.ts, before any library. The UI speaks bokmål whatever the system
// locale, and a POSIX locale such as `C` (common on servers and under Xvfb) is no valid
// BCP 47 tag: uPlot calls `Intl.NumberFormat(navigator.language)` when it loads, which
// then throws and no window content would ever be drawn.
try {
  Object.defineProperty(navigator, "language", { value: "nb-NO", configurable: true });
  Object.defineProperty(navigator, "languages", { value: ["nb-NO", "nb", "no"], configurable: true });
} catch {
  // A browser that refuses the override keeps its own (valid) language.
}
