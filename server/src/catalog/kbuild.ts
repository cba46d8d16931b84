/**
 * Which C files of a kernel tree the configuration builds, as the Makefiles say:
 * `obj-y += a.o`, `obj-$(CONFIG_X) += b.o dir/`, composite objects (`foo-y := a.o b.o`,
 * `foo-objs`), `ifdef`/`ifndef`/`ifeq`/`ifneq` on config symbols, and variables
 * (`mmu-$(CONFIG_MMU) := ...; obj-y += $(mmu-y)`). A folder is built when its parent's
 * Makefile lists it (`obj-$(CONFIG_EXT4_FS) += ext4/`), or it is one the top Makefile
 * always builds.
 *
 * A file no Makefile of its folder mentions is 'unlisted' (often #included by another
 * .c, as mm/percpu-km.c is): it stays a candidate, below built files.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KernelConfig } from './config.js';
import { writeAtomically } from './atomic-write.js';
import { fileStateOrNull, sameState, type FileState } from './lift-cache.js';
import { recentlyChanged } from './tree-index.js';
import { ALWAYS_BUILT_DIRS, ARCH, NOT_KERNEL_DIRS, NOT_LINKED_DIRS } from './config-facts.js';

/**
 * A path relative to a tree root it lies under (path.relative for the other cases):
 * asked for each of a whole tree's 5 000 headers, where path.relative's resolving of
 * both sides is the dear part.
 */
export function underRoot(root: string, abs: string): string {
  return abs.startsWith(root + path.sep) && !abs.includes(`${path.sep}..`) ? abs.slice(root.length + 1) : path.relative(root, abs);
}

/**
 * 'built': linked into vmlinux; 'module': built as a loadable module (obj-m), so that
 * only its own module and the ops tables it registers can reach its functions.
 */
export type BuildStatus = 'built' | 'module' | 'not-built' | 'unlisted';

/** How a folder is built: into vmlinux, as modules, or not at all. */
export type DirLink = 'vmlinux' | 'module' | 'none';

interface DirMakefile {
  /** object and folder names the configuration builds here (`a.o`, `ext4/`), into vmlinux or as modules */
  built: Set<string>;
  /** those of `built` only obj-m names (with a composite object's parts) */
  modular: Set<string>;
  /** every `.o` or folder name the Makefile mentions */
  mentioned: Set<string>;
}

/** Make's `$(VAR)` references, expanded against the variables and the configuration. */
function expand(text: string, vars: Map<string, string>, config: KernelConfig, depth = 0): string {
  if (depth > 8) return text;
  return text.replace(/\$\(([A-Za-z0-9_.-]+)\)/g, (_m, name: string) => {
    if (name.startsWith('CONFIG_')) return config.symbol(name) ?? '';
    const v = vars.get(name);
    return v === undefined ? '' : expand(v, vars, config, depth + 1);
  });
}

/** Evaluates one Makefile's assignments under the configuration. */
export function evaluateMakefile(text: string, config: KernelConfig): DirMakefile {
  const vars = new Map<string, string>();
  const logical = text.replace(/\\\r?\n/g, ' ').split('\n');
  const active: boolean[] = [];
  const on = (): boolean => active.every(Boolean);
  const mentioned = new Set<string>();
  for (const raw of logical) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    let m: RegExpExecArray | null;
    if ((m = /^if(n?)def\s+(\S+)/.exec(line))) {
      const set = (expand(`$(${m[2]})`, vars, config) || vars.get(m[2]) || '') !== '';
      active.push(m[1] ? !set : set);
      continue;
    }
    if ((m = /^if(n?)eq\s*\(([^,]*),([^)]*)\)/.exec(line))) {
      const same = expand(m[2], vars, config).trim() === expand(m[3], vars, config).trim();
      active.push(m[1] ? !same : same);
      continue;
    }
    if (/^if(n?)eq\b/.test(line)) {
      active.push(true);
      continue;
    }
    if (/^else\b/.test(line)) {
      if (active.length) active[active.length - 1] = !active[active.length - 1];
      continue;
    }
    if (/^endif\b/.test(line)) {
      active.pop();
      continue;
    }
    m = /^([A-Za-z0-9_.$()-]+)\s*(:=|\+=|\?=|=)\s*(.*)$/.exec(line);
    if (!m) continue;
    for (const w of m[3].split(/\s+/)) if (/\.o$|\/$/.test(w)) mentioned.add(w);
    if (!on()) continue;
    const name = expand(m[1], vars, config);
    const value = m[2] === ':=' ? expand(m[3], vars, config) : m[3];
    if (m[2] === '+=') vars.set(name, `${vars.get(name) ?? ''} ${value}`);
    else if (m[2] === '?=') { if (!vars.has(name)) vars.set(name, value); }
    else vars.set(name, value);
  }
  const collect = (lists: readonly string[]): Set<string> => {
    const out = new Set<string>();
    const add = (word: string, depth: number): void => {
      if (!word || out.has(word) || depth > 8) return;
      out.add(word);
      if (!word.endsWith('.o')) return;
      // a composite object: its parts are built with it
      const base = word.slice(0, -2);
      for (const part of [`${base}-y`, `${base}-objs`, `${base}-m`]) {
        for (const w of expand(vars.get(part) ?? '', vars, config).split(/\s+/)) add(w, depth + 1);
      }
    };
    for (const list of lists) for (const w of expand(vars.get(list) ?? '', vars, config).split(/\s+/)) add(w, 0);
    return out;
  };
  const linked = collect(['obj-y', 'lib-y', 'core-y', 'drivers-y']);
  const built = new Set([...linked, ...collect(['obj-m'])]);
  const modular = new Set([...built].filter((w) => !linked.has(w)));
  return { built, modular, mentioned };
}

/** The names Kbuild looks for in a folder, in make's order. */
const MAKEFILE_NAMES = ['Makefile', 'Kbuild'] as const;

/**
 * A folder's Makefile as evaluated, kept across runs: valid while the file read has the
 * same state and the names before it are still absent (a new Makefile shadows a Kbuild).
 */
interface SavedMakefile {
  file: (typeof MAKEFILE_NAMES)[number] | null;
  state: FileState | null;
  built: string[];
  modular: string[];
  mentioned: string[];
}

const SAVED_MAGIC = 'racelens-kbuild-v1';

/** Saved evaluations read by this process, by file and its state (shared by every Kbuild over the same tree and configuration). */
const savedInProcess = new Map<string, { state: FileState; records: Record<string, SavedMakefile> }>();
/** The sets made from a saved evaluation, kept with it. */
const madeSets = new WeakMap<SavedMakefile, DirMakefile>();

export class Kbuild {
  private readonly makefiles = new Map<string, DirMakefile | null>();
  private readonly dirs = new Map<string, DirLink>();
  /** evaluations from earlier runs (one file per tree and configuration), loaded on first use */
  private saved: Record<string, SavedMakefile> | undefined;
  private savedChanged = false;
  private readonly savedFile: string | undefined;
  /** every Makefile path consulted, with its state then (null: absent), for listings kept on what they rest on */
  readonly probes = new Map<string, FileState | null>();

  /**
   * `cacheDir`: where evaluated Makefiles are kept between runs (none: evaluated every
   * run); `now`: the clock that says whether a Makefile changed too recently to keep.
   */
  constructor(readonly root: string, readonly config: KernelConfig, cacheDir?: string, private readonly now: () => number = Date.now) {
    if (cacheDir) {
      const key = crypto.createHash('sha256').update(`${path.resolve(root)}\0${config.id}`).digest('hex').slice(0, 24);
      this.savedFile = path.join(cacheDir, 'trees', `${key}.kbuild.json`);
    }
  }

  private savedMakefiles(): Record<string, SavedMakefile> {
    const onDisk = this.savedFile ? fileStateOrNull(this.savedFile) : null;
    if (!this.saved && this.savedFile && onDisk) {
      // a long-lived process builds a Kbuild per run: the saved evaluations are read once
      // (again when another process rewrote them)
      const shared = savedInProcess.get(this.savedFile);
      if (shared && sameState(shared.state, onDisk)) this.saved = shared.records;
    }
    if (!this.saved) {
      this.saved = Object.create(null) as Record<string, SavedMakefile>;
      if (this.savedFile && onDisk) savedInProcess.set(this.savedFile, { state: onDisk, records: this.saved });
      if (this.savedFile) {
        try {
          const parsed = JSON.parse(fs.readFileSync(this.savedFile, 'utf8')) as { magic?: string; makefiles?: Record<string, SavedMakefile> };
          if (parsed?.magic === SAVED_MAGIC && parsed.makefiles && typeof parsed.makefiles === 'object') {
            Object.assign(this.saved, parsed.makefiles);
          }
        } catch {
          // none yet, or damaged: evaluated again
        }
      }
    }
    return this.saved;
  }

  /** A saved evaluation that still describes the folder's Makefiles on disk. */
  private fromSaved(dir: string): DirMakefile | null | undefined {
    if (!this.savedFile) return undefined;
    const s = this.savedMakefiles()[dir];
    if (!s || !Array.isArray(s.built) || !Array.isArray(s.modular) || !Array.isArray(s.mentioned)) return undefined;
    const upTo = s.file === null ? MAKEFILE_NAMES.length : MAKEFILE_NAMES.indexOf(s.file);
    if (upTo < 0) return undefined;
    for (let i = 0; i < upTo; i++) if (this.probe(path.join(dir, MAKEFILE_NAMES[i])) !== null) return undefined;
    if (s.file === null) return null;
    const now = this.probe(path.join(dir, s.file));
    if (!now || !s.state || !sameState(now, s.state)) return undefined;
    let mk = madeSets.get(s);
    if (!mk) madeSets.set(s, (mk = { built: new Set(s.built), modular: new Set(s.modular), mentioned: new Set(s.mentioned) }));
    return mk;
  }

  private probe(file: string): FileState | null {
    const state = fileStateOrNull(file);
    this.probes.set(file, state);
    return state;
  }

  private makefile(dir: string): DirMakefile | null {
    let mk = this.makefiles.get(dir);
    if (mk === undefined) {
      mk = this.fromSaved(dir);
      if (mk === undefined) {
        mk = null;
        let file: SavedMakefile['file'] = null;
        let state: FileState | null = null;
        for (const name of MAKEFILE_NAMES) {
          const abs = path.join(dir, name);
          state = this.probe(abs);
          if (!state) continue;
          try {
            mk = evaluateMakefile(fs.readFileSync(abs, 'utf8'), this.config);
            file = name;
            break;
          } catch {
            // unreadable: as make, look for the next name
            state = null;
          }
        }
        // a Makefile changed in the last seconds could change again without its size changing
        if (this.savedFile && !(state && recentlyChanged(state, this.now()))) {
          this.savedMakefiles()[dir] = {
            file, state, built: mk ? [...mk.built] : [], modular: mk ? [...mk.modular] : [], mentioned: mk ? [...mk.mentioned] : [],
          };
          this.savedChanged = true;
        }
      }
      this.makefiles.set(dir, mk);
    }
    return mk;
  }

  /** Writes the evaluations this run made (atomically), for the next run over the tree. */
  save(): void {
    if (!this.savedFile || !this.savedChanged || !this.saved) return;
    if (writeAtomically(this.savedFile, JSON.stringify({ magic: SAVED_MAGIC, makefiles: this.saved }))) this.savedChanged = false;
  }

  /** Whether the build descends into a folder (absolute, under the root), into vmlinux or for modules. */
  dirBuilt(dir: string): boolean {
    return this.dirLink(dir) !== 'none';
  }

  /**
   * How the build treats a folder (absolute, under the root): 'none' for folders with
   * no kernel code, other architectures, and subfolders no Makefile lists under this
   * configuration; 'module' for folders listed only in obj-m (and everything below
   * them); 'vmlinux' otherwise. Folders without Makefiles (include/) are searched.
   */
  dirLink(dir: string): DirLink {
    const known = this.dirs.get(dir);
    if (known !== undefined) return known;
    const rel = underRoot(this.root, dir);
    let link: DirLink = 'vmlinux';
    if (rel && !rel.startsWith('..')) {
      const parts = rel.split(path.sep);
      if (NOT_KERNEL_DIRS.includes(parts[0]) || NOT_LINKED_DIRS.includes(parts.join('/'))) link = 'none';
      else if (parts[0] === 'arch' && parts.length >= 2 && parts[1] !== ARCH) link = 'none';
      else if (parts.length === 1 && ALWAYS_BUILT_DIRS.includes(parts[0])) link = 'vmlinux';
      else if (parts.length >= 2 && !(parts[0] === 'arch' && parts.length === 2)) {
        const parent = path.dirname(dir);
        link = this.dirLink(parent);
        const mk = link !== 'none' ? this.makefile(parent) : null;
        const own = `${path.basename(dir)}/`;
        // a folder its parent's Makefile names but does not build is not compiled; one it
        // does not name (reached through arch/x86/Kbuild, subdir-y, ...) is searched
        // the Makefile may name it only through deeper paths (`obj-$(CONFIG_DRM_AMDGPU) += amd/amdgpu/`)
        const named = mk ? [...mk.mentioned].filter((w) => w.startsWith(own)) : [];
        const built = named.filter((w) => mk!.built.has(w));
        if (named.length && !built.length) link = 'none';
        else if (link === 'vmlinux' && built.length && built.every((w) => mk!.modular.has(w))) link = 'module';
      }
    }
    this.dirs.set(dir, link);
    return link;
  }

  /**
   * Which folders a walk of the --src input `input` enters: those linked into vmlinux,
   * and the module folders a run needs (`modules`, tree-relative: its filesystem's
   * code), or all of them when the input itself lies in a module.
   */
  walkRule(input: string, modules: readonly string[]): (dir: string) => boolean {
    const inModule = this.dirLink(path.resolve(input)) === 'module';
    const wanted = modules.map((m) => path.join(this.root, m));
    return (d) => {
      const link = this.dirLink(d);
      if (link === 'vmlinux') return true;
      if (link === 'none') return false;
      return inModule || wanted.some((w) => d === w || d.startsWith(w + path.sep) || w.startsWith(d + path.sep));
    };
  }

  /**
   * Whether a run over `input` whose filesystems' code lies in `modules` may reach code
   * built as a module: when one of those folders is built as one (a module may call
   * other modules: ext4 calls jbd2 and mbcache) or the input lies in one. Otherwise all
   * it reaches is linked into vmlinux, which cannot call a module, and the files built as
   * modules in vmlinux folders are left out as module folders are.
   */
  reachesModules(input: string, modules: readonly string[]): boolean {
    if (this.dirLink(path.resolve(input)) === 'module') return true;
    return modules.some((m) => this.dirLink(path.join(this.root, m)) === 'module');
  }

  /** Whether the configuration builds a C file (absolute), into vmlinux or as a module. Headers are 'unlisted'. */
  fileStatus(file: string): BuildStatus {
    if (!file.endsWith('.c')) return 'unlisted';
    const dir = path.dirname(file);
    const link = this.dirLink(dir);
    if (link === 'none') return 'not-built';
    const mk = this.makefile(dir);
    if (!mk) return 'unlisted';
    const obj = `${path.basename(file, '.c')}.o`;
    if (mk.built.has(obj)) return link === 'module' || mk.modular.has(obj) ? 'module' : 'built';
    return mk.mentioned.has(obj) ? 'not-built' : 'unlisted';
  }
}
