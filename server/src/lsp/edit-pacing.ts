/**
 * The work an edit causes, paced so that the lens the editor asks for right after it
 * does not wait: which verdicts the edit made stale is worked out at once for the first
 * didChange notification of a burst (the stale mark is what the user waits for), then
 * once for the rest of the burst (an edit comes as up to six notifications, each of
 * which would re-parse the document), and at the latest when a lens, a hover or a run
 * needs it; the index scans an edited document again only after a pause in typing.
 */
import type { OpenDocument } from './documents.js';

/** The didChange notifications of one edit arrive within this long of each other. */
const STALE_BURST_MS = 20;
/** Typing pauses this long before the index scans an edited document again. */
const REINDEX_PAUSE_MS = 300;

export interface EditPacingOptions {
  /** works out the verdicts an edit to `d` made stale */
  stale: (d: OpenDocument) => void;
  /** scans the file at `path` again */
  reindex: (path: string) => void;
}

export class EditPacing {
  private readonly staleDocs = new Set<OpenDocument>();
  private staleTimer: NodeJS.Timeout | undefined;
  private readonly reindexTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly o: EditPacingOptions) {}

  /** `d` changed: its staleness is worked out now when no burst is going, else after the burst or at the next `flush`. */
  edited(d: OpenDocument): void {
    if (this.staleTimer) {
      this.staleDocs.add(d);
      return;
    }
    this.staleTimer = setTimeout(() => this.flush(), STALE_BURST_MS);
    this.o.stale(d);
  }

  /** Staleness of every pending edit now (before answering a lens, a hover, a run). */
  flush(): void {
    clearTimeout(this.staleTimer);
    this.staleTimer = undefined;
    const docs = [...this.staleDocs];
    this.staleDocs.clear();
    for (const d of docs) this.o.stale(d);
  }

  /** The file behind an edited document is scanned again after a pause in typing. */
  reindexLater(path: string): void {
    clearTimeout(this.reindexTimers.get(path));
    this.reindexTimers.set(path, setTimeout(() => {
      this.reindexTimers.delete(path);
      this.o.reindex(path);
    }, REINDEX_PAUSE_MS));
  }

  dispose(): void {
    clearTimeout(this.staleTimer);
    for (const t of this.reindexTimers.values()) clearTimeout(t);
  }
}
