/**
 * Pacing of the background work the server hands to its worker threads (the index's
 * tree-sitter pass, one file per job): a new job waits for a quiet spell in requests,
 * so that on a busy machine the worker's CPU goes to it while the editor is idle. No
 * background work runs on the server's own thread (index: index/index-thread.ts;
 * lifting bodies for hovers and lenses: described-bodies.ts).
 */

/** Quiet time after a request, an open or an edit before background work may go on. */
const IDLE_MS = 250;

export class BackgroundWork {
  private lastRequest = 0;

  /** A request, an open or an edit came in: background work waits for the next quiet spell. */
  busy(): void {
    this.lastRequest = Date.now();
  }

  /** Resolves once nothing has come for IDLE_MS. */
  async quiet(): Promise<void> {
    for (;;) {
      const left = IDLE_MS - (Date.now() - this.lastRequest);
      if (left <= 0) return;
      await new Promise<void>((r) => setTimeout(r, left));
    }
  }
}
