/** Runs jobs one after the other: worker replacements happen one at a time. */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;

  get busy(): boolean {
    return this.#pending > 0;
  }

  push(job: () => Promise<void>): Promise<void> {
    this.#pending++;
    const run = this.#tail.then(job).finally(() => this.#pending--);
    // One failed job must not stop the ones after it.
    this.#tail = run.catch(() => {});
    return this.#tail;
  }
}
