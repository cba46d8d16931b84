/**
 * The persistent cache of what racelens learned from a source file: which function
 * names it may define (the text index), its `*_operations` tables and the functions
 * lifted from it so far. One JSON entry per source file, under
 * `$XDG_CACHE_HOME/racelens/lift/<build>/` (default `~/.cache`), never in the
 * repository.
 *
 * An entry is used only for the same file in the same state: same path, size, inode,
 * modification and change times (ctime cannot be set back by user space), and the
 * same racelens build (the package version and a hash of the compiled lifter). A file
 * changed within RACY_MS of the moment its entry was written could change again
 * without moving its timestamps (they tick coarsely), so such an entry also carries a
 * hash of the content, and the file is read and hashed to use it ("racy git").
 * An entry's first line holds a sha256 of the rest, and what it holds is checked
 * against a schema (lift-cache-schema.ts) before any of it is used; only a regular file
 * under a size limit is read. A missing, unreadable, corrupt, re-signed-but-wrong or
 * foreign entry is a miss, never an error and never a verdict; writes are atomic
 * (temporary file, then rename), so concurrent runs see whole entries only.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LiftedFunction } from '../lift/index.js';
import { readRegularFile } from '../workspace/read-file.js';
import { validEntry } from './lift-cache-schema.js';
import { makeDirectories } from './atomic-write.js';
import { sameState, type FileState } from '../workspace/file-state.js';

// the file-state helpers live with the workspace; catalog modules still take them from here
export { fileState, fileStateOrNull, sameState, stateOfStats, type FileState } from '../workspace/file-state.js';

const RACY_MS = 3000;

/** A cached ops table: its entries (a field once per #if branch), each with the condition it is compiled under, and the table's own. */
export type CachedTable = [table: string, entries: [field: string, fn: string, guard?: string][], guard?: string];

export interface CacheEntry {
  build: string;
  path: string;
  state: FileState;
  /** when the entry was written, ms since the epoch */
  written: number;
  /** sha256 of the content, kept when the file was changed shortly before `written` */
  hash?: string;
  /** names the file may define (definitionIndex) */
  defs: string[];
  /** identifiers ending in `_aops` that the file mentions */
  aops: string[];
  /**
   * the file's ops tables, once it has been parsed: [table, [field, function, condition?][],
   * the table's condition?] (conditions as preprocessor text, decided per configuration)
   */
  tables?: CachedTable[];
  /** functions lifted so far; null: the file turned out not to define it */
  functions: Record<string, LiftedFunction | null>;
}

export function contentHash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** The default cache folder: `$XDG_CACHE_HOME/racelens/lift` or `~/.cache/racelens/lift`. */
export function defaultCacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'racelens', 'lift');
}

let buildId: string | undefined;

/**
 * The package version and a hash of the compiled lifter, of this folder's code (the
 * text index and the source model rules) and of the simulator's, whose tables the lifter
 * reads (mutable fields, primitive and constant names, stack structures): a rebuilt
 * lifter never reads entries an older one wrote.
 */
export function racelensBuild(): string {
  if (buildId) return buildId;
  const h = crypto.createHash('sha256');
  const out = path.resolve(__dirname, '..');
  try {
    h.update(JSON.parse(fs.readFileSync(path.join(out, '..', 'package.json'), 'utf8')).version ?? '');
  } catch { /* no version: the hashes below still tell builds apart */ }
  let hashed = 0;
  for (const dir of ['lift', 'catalog', 'sim', 'sim/ops']) {
    const abs = path.join(out, dir);
    let names: string[] = [];
    try { names = fs.readdirSync(abs).filter((n) => n.endsWith('.js')).sort(); } catch { /* not built this way */ }
    for (const n of names) h.update(n).update(fs.readFileSync(path.join(abs, n)));
    hashed += names.length;
  }
  // A bundle (the packaged extension) has no out/lift or out/catalog: the lifter and the
  // catalog are inside the bundle file that runs this code, so its bytes tell builds apart.
  if (hashed === 0) {
    try { h.update(fs.readFileSync(__filename)); } catch { /* nothing more to tell builds apart */ }
  }
  buildId = h.digest('hex').slice(0, 16);
  return buildId;
}

/**
 * The cache a run uses: none for `false`, the folder given, or what
 * RACELENS_LIFT_CACHE says (`off`/`0`: none; a folder) and else the default folder.
 */
export function liftCacheFrom(opt: string | false | undefined): LiftCache | undefined {
  if (opt === false) return undefined;
  if (opt !== undefined) return new LiftCache(opt);
  const env = process.env.RACELENS_LIFT_CACHE;
  if (env === 'off' || env === '0') return undefined;
  return new LiftCache(env || defaultCacheRoot());
}

export class LiftCache {
  readonly dir: string;
  private dirMade = false;

  constructor(root: string = defaultCacheRoot(), build: string = racelensBuild()) {
    this.dir = path.join(root, build);
  }

  private entryPath(file: string): string {
    return path.join(this.dir, `${crypto.createHash('sha256').update(file).digest('hex').slice(0, 24)}.json`);
  }

  /**
   * The entry of `file` (an absolute path) if it describes the file as it is now.
   * `text` reads the file, for entries that need their content hash checked. Anything
   * wrong with the entry (not a regular file, too large, a checksum that does not
   * match, a shape the schema rejects, another file's or build's entry) is a miss.
   */
  get(file: string, state: FileState, text: () => string): CacheEntry | undefined {
    if (this.unusable) return undefined;
    let entry: CacheEntry;
    const at = this.entryPath(file);
    // a miss is the usual answer on a cold run over a whole tree: no error object for it
    if (!fs.existsSync(at)) return undefined;
    try {
      entry = decodeEntry(readRegularFile(at, MAX_ENTRY_BYTES)) as CacheEntry;
    } catch {
      return undefined;
    }
    if (entry.path !== file || entry.build !== path.basename(this.dir) || !sameState(entry.state, state)) return undefined;
    if (racy(entry)) {
      if (!entry.hash) return undefined;
      try {
        if (contentHash(text()) !== entry.hash) return undefined;
      } catch {
        return undefined;
      }
    }
    // names come from source files: keep them as keys only, whatever they are
    entry.functions = Object.assign(Object.create(null) as CacheEntry['functions'], entry.functions);
    return entry;
  }

  /**
   * Writes an entry atomically. A cache folder that cannot be made or written is given
   * up after the first failure, with one line on stderr: the run goes on without it.
   */
  put(entry: CacheEntry, text: string | undefined): void {
    if (this.unusable) return;
    const now = Date.now();
    const stored: CacheEntry = { ...entry, build: path.basename(this.dir), written: now };
    delete stored.hash;
    if (racy(stored)) {
      // without the content this entry could not be trusted later: do not store it
      if (text === undefined) return;
      stored.hash = contentHash(text);
    }
    const target = this.entryPath(entry.path);
    const tmp = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      // a cold whole-tree run writes thousands of entries: the folder is made once
      if (!this.dirMade) {
        makeDirectories(this.dir);
        this.dirMade = true;
      }
      try {
        fs.writeFileSync(tmp, encodeEntry(stored), { flag: 'wx' });
      } catch (err) {
        // the folder went away under a long-lived process: made again, once
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        makeDirectories(this.dir);
        fs.writeFileSync(tmp, encodeEntry(stored), { flag: 'wx' });
      }
      fs.renameSync(tmp, target);
    } catch (err) {
      try { fs.unlinkSync(tmp); } catch { /* nothing was written */ }
      this.giveUp(err);
    }
  }

  /** Set once the cache folder failed: no more reads or writes this run. */
  unusable: string | undefined;

  private giveUp(err: unknown): void {
    const code = (err as NodeJS.ErrnoException).code;
    this.unusable = code ?? (err instanceof Error ? err.message : String(err));
    if (!warned.has(this.dir)) {
      warned.add(this.dir);
      process.stderr.write(`racelens: the lift cache ${this.dir} cannot be written (${this.unusable}); running without it\n`);
    }
  }
}

const warned = new Set<string>();

/** A cache entry is never read past this size (the largest real entries are a few hundred KB). */
const MAX_ENTRY_BYTES = 16 * 1024 * 1024;
const ENTRY_MAGIC = 'racelens-lift-cache-v2';

/** First line: the format and a sha256 of the rest; then the entry as JSON. */
export function encodeEntry(entry: CacheEntry): string {
  const body = JSON.stringify(entry);
  return `${ENTRY_MAGIC} ${contentHash(body)}\n${body}`;
}

/** The entry a file holds, or an exception when its checksum or its shape is wrong. */
export function decodeEntry(text: string): CacheEntry {
  const nl = text.indexOf('\n');
  const head = nl < 0 ? '' : text.slice(0, nl);
  const body = text.slice(nl + 1);
  if (head !== `${ENTRY_MAGIC} ${contentHash(body)}`) throw new Error('checksum');
  const entry: unknown = JSON.parse(body);
  if (!validEntry(entry)) throw new Error('schema');
  return entry as CacheEntry;
}

/** The file's last change came too close to the entry's writing to trust its timestamps. */
function racy(entry: CacheEntry): boolean {
  const changedMs = Number(BigInt(entry.state.ctimeNs) / 1_000_000n);
  const modifiedMs = Number(BigInt(entry.state.mtimeNs) / 1_000_000n);
  return entry.written - Math.max(changedMs, modifiedMs) < RACY_MS;
}
