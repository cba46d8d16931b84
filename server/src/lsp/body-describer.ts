/**
 * Keeps the worker's descriptions of open documents' bodies (described-bodies.ts) in step
 * with the text: after a pause in typing a document's names are described again, answers
 * about older texts are dropped, and a burst of answers refreshes the lenses once.
 */
import type { OpenDocument } from './documents.js';
import { DescribedBodies, type DescribeItem, type DescribeJob } from './described-bodies.js';

/** Typing pauses this long before the worker describes a document's names again. */
const DESCRIBE_PAUSE_MS = 300;
/** Answers come one name at a time: the lenses are asked again once they have settled. */
const REFRESH_AFTER_MS = 1000;

export interface BodyDescriberOptions {
  log: (message: string) => void;
  refreshLenses: () => void;
  /** the era and the items of `d`'s names, as its context sees them */
  items: (d: OpenDocument) => Promise<{ era: string; items: DescribeItem[] }>;
  overlays: () => DescribeJob['overlays'];
  isOpen: (d: OpenDocument) => boolean;
}

export class BodyDescriber {
  readonly bodies: DescribedBodies;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private refresh: NodeJS.Timeout | undefined;

  constructor(private readonly o: BodyDescriberOptions) {
    this.bodies = new DescribedBodies(o.log, () => this.answered());
  }

  /** `d` was opened or changed (`file`: its path on disk, whose bodies other documents' answers may name). */
  changed(d: OpenDocument, file: string | undefined): void {
    if (file && d.doc.version > 1) this.bodies.forget((k) => k.endsWith(`\u0000${file}`));
    clearTimeout(this.timers.get(d.uri));
    this.timers.set(d.uri, setTimeout(() => {
      this.timers.delete(d.uri);
      if (!this.o.isOpen(d)) return;
      // answers for older texts of this document are of no use any more
      this.bodies.forget((k) => k.includes(`\u0000${d.uri}@`) && !k.endsWith(`@${d.doc.version}`));
      void this.o.items(d).then(({ era, items }) => this.bodies.prepare(era, items, this.o.overlays()))
        .catch((err: unknown) => this.o.log(`racelens: describing ${d.uri}: ${String(err)}`));
    }, DESCRIBE_PAUSE_MS));
  }

  private answered(): void {
    if (this.refresh) return;
    this.refresh = setTimeout(() => {
      this.refresh = undefined;
      this.o.refreshLenses();
    }, REFRESH_AFTER_MS);
  }

  dispose(): Promise<void> {
    for (const t of this.timers.values()) clearTimeout(t);
    if (this.refresh) clearTimeout(this.refresh);
    return this.bodies.dispose();
  }
}
