/**
 * Background work of the server's main thread (the index's tree-sitter pass over the
 * files that define catalog functions) goes only while no request is being answered:
 * each piece of it waits for a quiet spell, so that a hover or lens never waits behind
 * more than the one piece already under way. (Lifting bodies for hovers and lenses is
 * not done here at all, but in a worker thread: described-bodies.ts.)
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
