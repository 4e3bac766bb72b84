// A virtualised list's state for a component: the scroller's position and height, the
// measured row height, and whether the page is being printed (then every row is drawn).
// The arithmetic is `virtual.ts`; this only holds what it needs as `$state`, so the drawn
// window follows the scroll.
import { flushSync } from "svelte";
import { VIRTUAL_FROM, type RowWindow, revealTop, sameWindow, windowOf } from "./virtual";

/** The window's inner height in pixels (read without a layout); 1 200 where there is none. */
function windowHeight(): number {
  return typeof window !== "undefined" && window.innerHeight > 0 ? window.innerHeight : 1200;
}

export class VirtualRows {
  /** The scroller's `scrollTop`. */
  scrollTop = $state(0);
  /** The scroller's `clientHeight` (0 until laid out). */
  viewport = $state(0);
  /** A drawn row's height as measured (0 until measured: the estimate is used). */
  measured = $state(0);
  /** True between `beforeprint` and `afterprint`: every row is drawn for the paper. */
  printing = $state(false);

  /** `estimate`: a row's height before one is measured. `viewportGuess`: the scroller's
   * height before its first layout, if the list knows it better than the window's height
   * (the grid's scroller is the window less 17 rem): fewer rows in the first paint. */
  constructor(
    private readonly estimate: number,
    private readonly overscan = 8,
    private readonly viewportGuess: () => number = windowHeight,
  ) {}

  get rowHeight(): number {
    return this.measured > 0 ? this.measured : this.estimate;
  }

  /** Whether a list of `count` rows is virtualised now. */
  active(count: number): boolean {
    return !this.printing && count >= VIRTUAL_FROM;
  }

  /** The window last given, given again while the rows drawn stay the same: a scroll
   * within a row then changes nothing that depends on the window. */
  #last: RowWindow = { start: 0, end: 0, padTop: 0, padBottom: 0 };

  /** The rows to draw: all of them when the list is short or printed. The same object as
   * last time while they are the same rows in the same places. */
  window(count: number): RowWindow {
    const next = this.#window(count);
    if (sameWindow(next, this.#last)) return this.#last;
    this.#last = next;
    return next;
  }

  #window(count: number): RowWindow {
    if (!this.active(count)) return { start: 0, end: count, padTop: 0, padBottom: 0 };
    return windowOf({
      count,
      rowHeight: this.rowHeight,
      scrollTop: this.scrollTop,
      // Before the first layout: the guess (the window's height unless told better), so
      // the first paint is full and draws no more rows than the scroller holds.
      viewport: this.viewport > 0 ? this.viewport : this.viewportGuess(),
      overscan: this.overscan,
    });
  }

  /** Scrolls `scroller` so row `index` is drawn and in view (`top`: a sticky header's
   * height); the window follows at once, before the browser's scroll event. */
  reveal(scroller: HTMLElement | undefined, index: number, top = 0) {
    if (!scroller) return;
    const next = revealTop({ index, rowHeight: this.rowHeight, scrollTop: scroller.scrollTop, viewport: scroller.clientHeight, top });
    if (next !== scroller.scrollTop) scroller.scrollTop = next;
    this.scrollTop = scroller.scrollTop;
  }

  /** For the scroller's `onscroll`. */
  onscroll = (e: Event) => {
    this.scrollTop = (e.currentTarget as HTMLElement).scrollTop;
  };

  /** Measures a drawn row once (the rows' height is fixed by CSS from then on); call from
   * an `$effect`. `ready`: whether the list is virtualised and has rows drawn now. Nothing
   * else is read once a row is measured, so the effect then stops following the scroll. */
  measure(ready: () => boolean, row: () => Element | null | undefined) {
    if (this.measured > 0 || !ready()) return;
    const drawn = row();
    if (!drawn) return;
    const h = drawn.getBoundingClientRect().height;
    if (h > 0) this.measured = h;
  }

  /** Draws every row while the page prints; call from an `$effect` (returns its cleanup). */
  watchPrint(): () => void {
    const before = () => flushSync(() => (this.printing = true));
    const after = () => (this.printing = false);
    window.addEventListener("beforeprint", before);
    window.addEventListener("afterprint", after);
    return () => {
      window.removeEventListener("beforeprint", before);
      window.removeEventListener("afterprint", after);
    };
  }
}
