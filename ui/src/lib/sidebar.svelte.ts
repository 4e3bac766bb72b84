// The unit tree's width: dragged or set with the arrow keys on the sidebar's edge, kept
// between the limits below and remembered on this machine (localStorage), so the tree has the
// width a person gave it in every view and after a restart.

/** Pixels: narrower hides too much of a name, wider leaves too little for the målkart. */
export const SIDEBAR_MIN = 160;
export const SIDEBAR_MAX = 560;
export const SIDEBAR_DEFAULT = 240;
/** One arrow key press; with Shift, a bigger step. */
export const SIDEBAR_STEP = 16;
export const SIDEBAR_BIG_STEP = 64;
const KEY = "malkart.sidebarWidth";

/** A width within the limits, in whole pixels; anything not a number is the default. */
export function clampWidth(width: number): number {
  if (!Number.isFinite(width)) return SIDEBAR_DEFAULT;
  return Math.min(SIDEBAR_MAX, Math.max(SIDEBAR_MIN, Math.round(width)));
}

/** The width a stored text stands for (the default when nothing, or nothing sensible, is stored). */
export function widthFromStored(stored: string | null): number {
  if (stored === null || stored.trim() === "") return SIDEBAR_DEFAULT;
  return clampWidth(Number(stored));
}

/** The width after a key on the handle (`null`: not a key the handle uses). ← narrower,
 * → wider, Shift for bigger steps, Home the narrowest, End the widest. */
export function widthAfterKey(width: number, key: string, shift: boolean): number | null {
  const step = shift ? SIDEBAR_BIG_STEP : SIDEBAR_STEP;
  switch (key) {
    case "ArrowLeft":
      return clampWidth(width - step);
    case "ArrowRight":
      return clampWidth(width + step);
    case "Home":
      return SIDEBAR_MIN;
    case "End":
      return SIDEBAR_MAX;
    default:
      return null;
  }
}

function stored(): string | null {
  try {
    return globalThis.localStorage?.getItem(KEY) ?? null;
  } catch {
    return null; // storage refused (private mode): the default, every time
  }
}

/** The one sidebar width of the window. */
class SidebarWidth {
  px = $state(widthFromStored(stored()));

  set(width: number) {
    this.px = clampWidth(width);
    try {
      globalThis.localStorage?.setItem(KEY, String(this.px));
    } catch {
      // not remembered; the width still holds until the app is closed
    }
  }
}

export const sidebar = new SidebarWidth();
