/**
 * One cache file per --src input holding the text index (names a file may define, the
 * `_aops` names it mentions) of every C file under it, so that a run over a whole
 * kernel tree reads one JSON file instead of one cache entry per file (9 000+). A file's
 * line is used only while the file has the same size, inode, mtime and ctime; a file
 * changed in the last seconds is never kept here (its timestamps could still move
 * without its size changing), it goes through the per-file cache with its content hash.
 * The per-file entries still hold the ops tables and lifted functions, read only for
 * the files a run lifts from.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sameState, type FileState } from './lift-cache.js';

const RECENT_MS = 10_000;

interface Line { state: FileState; defs: string[]; aops: string[] }

export class TreeIndex {
  private readonly file: string;
  private lines: Record<string, Line> = {};
  /** whether a header is compiled, by configuration: kept while no file under the input changes */
  private headers: Record<string, boolean | null> = {};
  private changed = false;
  private readonly seen = new Set<string>();

  constructor(cacheDir: string, input: string) {
    const key = crypto.createHash('sha256').update(path.resolve(input)).digest('hex').slice(0, 24);
    this.file = path.join(cacheDir, 'trees', `${key}.json`);
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { lines?: Record<string, Line>; headers?: Record<string, boolean | null> };
      if (parsed && typeof parsed.lines === 'object' && parsed.lines !== null) this.lines = parsed.lines;
      if (parsed && typeof parsed.headers === 'object' && parsed.headers !== null) this.headers = parsed.headers;
    } catch {
      // no index yet, or a corrupt one: rebuilt from the files
    }
  }

  /** The index of `abs` if recorded for the file as it is now. */
  get(abs: string, state: FileState): { defs: string[]; aops: string[] } | undefined {
    this.seen.add(abs);
    const line = this.lines[abs];
    if (!line || typeof line !== 'object' || !line.state || !Array.isArray(line.defs) || !Array.isArray(line.aops)) return undefined;
    return sameState(line.state, state) ? line : undefined;
  }

  put(abs: string, state: FileState, defs: string[], aops: string[]): void {
    this.seen.add(abs);
    const changedMs = Math.max(Number(BigInt(state.mtimeNs) / 1_000_000n), Number(BigInt(state.ctimeNs) / 1_000_000n));
    if (Date.now() - changedMs < RECENT_MS) return;
    this.lines[abs] = { state, defs, aops };
    this.changed = true;
    this.headers = {};
  }

  /** A header's verdict recorded under `key` (path and configuration); undefined when not recorded. */
  header(key: string): boolean | null | undefined {
    return Object.prototype.hasOwnProperty.call(this.headers, key) ? this.headers[key] : undefined;
  }

  putHeader(key: string, compiled: boolean | undefined): void {
    this.headers[key] = compiled ?? null;
    this.changed = true;
  }

  /** Writes the index atomically when it changed; files no longer under the input are dropped. */
  save(): void {
    for (const abs of Object.keys(this.lines)) {
      if (!this.seen.has(abs)) {
        delete this.lines[abs];
        this.changed = true;
        this.headers = {};
      }
    }
    if (!this.changed) return;
    const tmp = `${this.file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify({ lines: this.lines, headers: this.headers }));
      fs.renameSync(tmp, this.file);
    } catch {
      try { fs.unlinkSync(tmp); } catch { /* nothing was written */ }
    }
  }
}
