// "Drop a stale answer": when a view asks the backend again before the last answer came
// (another unit, another period, a save that reloads), only the answer to the latest
// question may be painted. An earlier, slower answer that arrives after it is dropped —
// its value and its error alike.

/** What `take` gives for an answer that is no longer wanted. */
export const STALE: unique symbol = Symbol("stale");

/** One series of questions of which only the latest answer counts. */
export class Latest {
  #asked = 0;

  /** The answer to `question`, or `STALE` when another question was asked (or `drop`
   * called) after it; a failure of a stale question is `STALE` too, not thrown. */
  async take<T>(question: Promise<T>): Promise<T | typeof STALE> {
    const n = ++this.#asked;
    try {
      const answer = await question;
      return n === this.#asked ? answer : STALE;
    } catch (e) {
      if (n === this.#asked) throw e;
      return STALE;
    }
  }

  /** Hands the answer to `onanswer`, or the failure to `onerror`, unless a later question
   * came first. For an `$effect`: `latest.run(…); return () => latest.drop();`. Settles
   * once the answer is handled (or dropped). */
  run<T>(question: Promise<T>, onanswer: (answer: T) => void, onerror: (reason: unknown) => void): Promise<void> {
    return this.take(question).then(
      (answer) => {
        if (answer !== STALE) onanswer(answer);
      },
      onerror,
    );
  }

  /** Makes every answer still on its way stale (the view is gone or asks something else). */
  drop(): void {
    this.#asked += 1;
  }
}
