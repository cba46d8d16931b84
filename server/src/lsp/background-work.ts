/**
 * Work the server does for later requests (describing an open document's functions,
 * which lifts their bodies) on the main thread, but only while no request is being
 * answered: a job starts after a quiet spell, one job at a time, with the event loop
 * free in between, so that a hover or lens never waits behind more than the one job
 * already under way. A new batch replaces the old (an edit makes the old answers moot).
 */

/** Quiet time after a request before a job may start. */
const IDLE_MS = 250;
/** Pause after an open or edit before the first job: the requests that follow it (the editor asks for lenses a few hundred ms after an edit) come first. */
const START_MS = 1000;

export class BackgroundWork {
  private queue: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastRequest = 0;
  /** jobs done, for tests and the log */
  done = 0;

  constructor(private readonly onError: (err: unknown) => void = () => undefined) {}

  /** A request came in: jobs wait for the next quiet spell. */
  busy(): void {
    this.lastRequest = Date.now();
  }

  /** Replaces what is queued with `jobs`. */
  schedule(jobs: (() => void)[]): void {
    this.queue = jobs;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.step(), START_MS);
  }

  /** Resolves once no request has come for IDLE_MS: other background work waits for it too. */
  async quiet(): Promise<void> {
    for (;;) {
      const left = IDLE_MS - (Date.now() - this.lastRequest);
      if (left <= 0) return;
      await new Promise<void>((r) => setTimeout(r, left));
    }
  }

  get pending(): number {
    return this.queue.length;
  }

  private step(): void {
    this.timer = undefined;
    const quiet = Date.now() - this.lastRequest;
    if (quiet < IDLE_MS) {
      this.timer = setTimeout(() => this.step(), IDLE_MS - quiet);
      return;
    }
    const job = this.queue.shift();
    if (!job) return;
    try {
      job();
      this.done++;
    } catch (err) {
      this.onError(err);
    }
    if (this.queue.length) this.timer = setTimeout(() => this.step(), 0);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.queue = [];
  }
}
