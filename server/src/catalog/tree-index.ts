/**
 * One cache file per --src input holding the text index (names a file may define, the
 * `_aops` names it mentions) of every C file under it, so that a run over a whole
 * kernel tree reads one JSON file instead of one cache entry per file (9 000+). A file's
 * line is used only while the file has the same size, inode, mtime and ctime; a file
 * changed in the last seconds is never kept here (its timestamps could still move
 * without its size changing), it goes through the per-file cache with its content hash.
 * The per-file entries still hold the ops tables and lifted functions, read only for
 * the files a run lifts from.
 *
 * Beside it, a names snapshot of the input as a whole: for the listing it was made
 * from (every file's path and state, in walk order, as a digest), which files may
 * define each name, sorted by name so that a run looks up the few thousand names it
 * follows by binary search instead of building a map of 60 000; the `_aops` names per
 * file; and the header verdicts (which headers the configuration compiles), valid
 * exactly as long as the listing is. A run that finds every file as the snapshot saw
 * it (each one still stat'ed) reads nothing else of the index.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeAtomically } from './atomic-write.js';
import { sameState, type FileState } from './lift-cache.js';

const RECENT_MS = 10_000;
const SNAPSHOT_MAGIC = 'racelens-tree-names-v1';

interface Line { state: FileState; defs: string[]; aops: string[] }

/** A file changed so recently that its timestamps could move again without its size changing. */
export function recentlyChanged(state: FileState, now = Date.now()): boolean {
  const changedMs = Math.max(Number(BigInt(state.mtimeNs) / 1_000_000n), Number(BigInt(state.ctimeNs) / 1_000_000n));
  return now - changedMs < RECENT_MS;
}

/** One string for a file's state, for digests. */
export function stateKey(state: FileState): string {
  return `${state.size}:${state.ino}:${state.mtimeNs}:${state.ctimeNs}`;
}

/**
 * The names part of a snapshot: sorted `name\tindex,index` lines, searched in place by
 * bisecting the text itself (a run looks up a few thousand of some 60 000 names: an
 * index of line starts would cost more than the lookups).
 */
export class NamesSnapshot {
  constructor(private readonly text: string, private readonly from: number, readonly aops: ReadonlyMap<number, string[]>) {}

  /** Positions (in the listing) of the files that may define `name`, ascending. */
  lookup(name: string): number[] {
    const text = this.text;
    // [lo, hi): lo is always a line start, hi a line start or the end
    let lo = this.from;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      // the line holding `mid` (the newline before lo is at lo - 1, so start >= lo)
      const start = text.lastIndexOf('\n', mid - 1) + 1;
      const tab = text.indexOf('\t', start);
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : nl;
      if (tab < 0 || tab > end) return [];
      const here = text.slice(start, tab);
      if (here === name) return text.slice(tab + 1, end).split(',').map(Number);
      if (here < name) lo = end + 1;
      else hi = start;
    }
    return [];
  }

  /** The names lines, for writing the snapshot again with other header verdicts. */
  body(): string {
    return this.text.slice(this.from);
  }
}

/** Snapshots this process has read, by file: one per input and listing variant (a few MB each). */
const snapshotsRead = new Map<string, { digest: string; snapshot: NamesSnapshot; headers: Record<string, boolean | null> }>();

export class TreeIndex {
  private readonly file: string;
  private readonly snapshotFile: string;
  /** loaded on first use: a run whose snapshot holds needs none of it */
  private lines: Record<string, Line> | undefined;
  /** whether a header is compiled, by configuration: as valid as the snapshot they are kept with */
  private headers: Record<string, boolean | null> = {};
  private headersChanged = false;
  private changed = false;
  private readonly seen = new Set<string>();
  /** the digest of this run's listing, and the snapshot found for it or to be written */
  private digest: string | undefined;
  private found: NamesSnapshot | undefined;
  private pending: { defs: readonly (readonly string[])[]; aops: readonly (readonly string[])[] } | undefined;

  /**
   * `variant`: what else decides the listing (the module folders a run lists). The text
   * index of the files is one per input, shared by the variants; each variant's listing
   * has a names snapshot of its own.
   */
  constructor(cacheDir: string, input: string, variant = '') {
    const key = crypto.createHash('sha256').update(path.resolve(input)).digest('hex').slice(0, 24);
    const listingKey = variant ? crypto.createHash('sha256').update(`${path.resolve(input)}\0${variant}`).digest('hex').slice(0, 24) : key;
    this.file = path.join(cacheDir, 'trees', `${key}.json`);
    this.snapshotFile = path.join(cacheDir, 'trees', `${listingKey}.names`);
  }

  private load(): Record<string, Line> {
    if (!this.lines) {
      this.lines = {};
      try {
        const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { lines?: Record<string, Line> };
        if (parsed && typeof parsed.lines === 'object' && parsed.lines !== null) this.lines = parsed.lines;
      } catch {
        // no index yet, or a corrupt one: rebuilt from the files
      }
    }
    return this.lines;
  }

  /**
   * The snapshot made from a listing with this digest, if there is one; from now on
   * the header verdicts are those kept with it (none when there is none).
   */
  snapshot(digest: string): NamesSnapshot | undefined {
    this.digest = digest;
    this.found = undefined;
    this.headers = {};
    // a long-lived process (the run service) asks again after every edit: the same listing, read once
    const known = snapshotsRead.get(this.snapshotFile);
    if (known && known.digest === digest) {
      this.found = known.snapshot;
      this.headers = known.headers;
      return this.found;
    }
    let text: string;
    try {
      text = fs.readFileSync(this.snapshotFile, 'utf8');
    } catch {
      return undefined;
    }
    const first = text.indexOf('\n');
    const second = first < 0 ? -1 : text.indexOf('\n', first + 1);
    if (second < 0 || text.slice(0, first) !== `${SNAPSHOT_MAGIC} ${digest}`) return undefined;
    try {
      const meta = JSON.parse(text.slice(first + 1, second)) as { aops?: [number, string[]][]; headers?: Record<string, boolean | null> };
      if (!Array.isArray(meta.aops) || typeof meta.headers !== 'object' || meta.headers === null) return undefined;
      const aops = new Map<number, string[]>();
      for (const [i, names] of meta.aops) if (Number.isInteger(i) && Array.isArray(names)) aops.set(i, names.map(String));
      this.found = new NamesSnapshot(text, second + 1, aops);
      this.headers = meta.headers;
      snapshotsRead.set(this.snapshotFile, { digest, snapshot: this.found, headers: this.headers });
      return this.found;
    } catch {
      return undefined;
    }
  }

  /** The listing (of the digest last asked for) was indexed file by file: write its snapshot at save. */
  snapshotFrom(defs: readonly (readonly string[])[], aops: readonly (readonly string[])[]): void {
    if (this.digest !== undefined) this.pending = { defs, aops };
  }

  /** The index of `abs` if recorded for the file as it is now. */
  get(abs: string, state: FileState): { defs: string[]; aops: string[] } | undefined {
    this.seen.add(abs);
    const line = this.load()[abs];
    if (!line || typeof line !== 'object' || !line.state || !Array.isArray(line.defs) || !Array.isArray(line.aops)) return undefined;
    return sameState(line.state, state) ? line : undefined;
  }

  /** Records a file's index; false when the file changed too recently to be kept. */
  put(abs: string, state: FileState, defs: string[], aops: string[]): boolean {
    this.seen.add(abs);
    if (recentlyChanged(state)) return false;
    this.load()[abs] = { state, defs, aops };
    this.changed = true;
    return true;
  }

  /** A header's verdict recorded under `key` (path and configuration); undefined when not recorded. */
  header(key: string): boolean | null | undefined {
    return Object.prototype.hasOwnProperty.call(this.headers, key) ? this.headers[key] : undefined;
  }

  putHeader(key: string, compiled: boolean | undefined): void {
    this.headers[key] = compiled ?? null;
    this.headersChanged = true;
  }

  /**
   * Writes the index atomically when it changed (files gone from disk are dropped), and the snapshot when it was made this run or its header verdicts grew.
   * `withLines` false: the run did not see every file (names from a workspace's memory): the snapshot alone, which is of the listing.
   */
  save(withLines = true): void {
    if (withLines && this.lines) {
      // a file this run did not list may belong to another variant's listing: dropped once it is gone
      for (const abs of Object.keys(this.lines)) {
        if (!this.seen.has(abs) && !fs.existsSync(abs)) {
          delete this.lines[abs];
          this.changed = true;
        }
      }
      if (this.changed) writeAtomically(this.file, JSON.stringify({ lines: this.lines }));
    }
    if (this.digest === undefined) return;
    let body: string | undefined;
    let aops: [number, string[]][] | undefined;
    if (this.pending) {
      const byName = new Map<string, number[]>();
      this.pending.defs.forEach((names, i) => {
        for (const n of names) {
          const list = byName.get(n);
          if (list) list.push(i);
          else byName.set(n, [i]);
        }
      });
      // names are C identifiers; one that is not could not be written as a line: no snapshot
      if ([...byName.keys()].some((n) => /[\t\n,]/.test(n))) return;
      const sorted = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      body = sorted.map((n) => `${n}\t${byName.get(n)!.join(',')}`).join('\n');
      aops = [];
      this.pending.aops.forEach((names, i) => { if (names.length) aops!.push([i, [...names]]); });
    } else if (this.found && this.headersChanged) {
      body = this.found.body();
      aops = [...this.found.aops];
    }
    if (body === undefined || !aops) return;
    this.writeSnapshot(body, aops);
  }

  private writeSnapshot(body: string, aops: [number, string[]][]): void {
    if (this.digest === undefined) return;
    writeAtomically(this.snapshotFile, `${SNAPSHOT_MAGIC} ${this.digest}\n${JSON.stringify({ aops, headers: this.headers })}\n${body}`);
  }

}
