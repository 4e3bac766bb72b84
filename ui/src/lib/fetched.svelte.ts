// What a view fetches again whenever what it shows changes (a unit, a period): the latest
// answer and the error of the latest question, with an older answer arriving late dropped
// (`Latest`). In an `$effect`: `return report.ask(backend.economyReport(unit, period));`.

import { Latest } from "./latest";
import { toBackendError } from "./backend";

export class Fetched<T> {
  /** The answer to the latest question asked; the previous answer while a new one is on
   * its way; `null` before the first. */
  value: T | null = $state.raw(null);
  /** The message of the latest question's failure; `null` after an answer. */
  error: string | null = $state(null);
  #latest = new Latest();

  /** Asks `question`; returns the teardown that drops its answer (for `$effect`). */
  ask(question: Promise<T>): () => void {
    void this.settle(question);
    return () => this.#latest.drop();
  }

  /** Asks `question`; settles once its answer (or failure) is shown or dropped. */
  settle(question: Promise<T>): Promise<void> {
    return this.#latest.run(
      question,
      (answer) => {
        this.value = answer;
        this.error = null;
      },
      (reason) => {
        this.error = toBackendError(reason).message;
      },
    );
  }
}

/** A `Fetched` that asks `question()` again whenever what it reads changes (a unit, a
 * period); `null` asks nothing. Called while a component is set up (it makes an `$effect`). */
export function fetchedFrom<T>(question: () => Promise<T> | null): Fetched<T> {
  const fetched = new Fetched<T>();
  $effect(() => {
    const q = question();
    if (q) return fetched.ask(q);
  });
  return fetched;
}
