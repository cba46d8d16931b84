/**
 * The kernel configuration a source tree is compiled with: a `.config` file (plain or
 * xz-compressed), by default Debian's own for the tree's release. It decides `#if`
 * branches (lift/preproc.ts) and which files the Makefiles build (kbuild.ts).
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { writeAtomically } from './atomic-write.js';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PreprocEnv } from '../lift/index.js';
import { PREDEFINED_MACROS, REQUIRED_SYMBOLS, debianConfigPath } from './config-facts.js';

export class KernelConfig implements PreprocEnv {
  readonly id: string;
  private moduleView: KernelConfig | undefined;

  /** `module`: the view of a file compiled as a module, which Kbuild compiles with -DMODULE */
  constructor(readonly file: string, readonly values: ReadonlyMap<string, string>, readonly module = false, id?: string) {
    if (id === undefined) {
      const h = crypto.createHash('sha256');
      for (const [k, v] of [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) h.update(`${k}=${v}\n`);
      id = h.digest('hex').slice(0, 16);
    }
    this.id = module ? `${id}+module` : id;
  }

  /** The same configuration as a file built as a module sees it: MODULE is defined. */
  forModule(): KernelConfig {
    if (this.module) return this;
    return (this.moduleView ??= new KernelConfig(this.file, this.values, true, this.id));
  }

  /** 'y', 'm', a string or number as the file has it; undefined when not set. */
  symbol(name: string): string | undefined {
    return this.values.get(name);
  }

  /** Built in or a module (kbuild's obj-y / obj-m). */
  enabled(name: string): boolean {
    const v = this.values.get(name);
    return v === 'y' || v === 'm';
  }

  macro(name: string): string | number | null | undefined {
    if (name.startsWith('CONFIG_')) {
      const v = this.values.get(name);
      if (v !== undefined) {
        if (/^-?\d+$/.test(v)) return Number(v);
        if (/^0x[0-9a-f]+$/i.test(v)) return Number.parseInt(v, 16);
        return v;
      }
      // autoconf.h defines CONFIG_X_MODULE for a module
      if (name.endsWith('_MODULE') && this.values.get(name.slice(0, -'_MODULE'.length)) === 'm') return 'y';
      return null;
    }
    if (name === 'MODULE') return this.module ? 1 : null;
    return Object.prototype.hasOwnProperty.call(PREDEFINED_MACROS, name) ? PREDEFINED_MACROS[name] : undefined;
  }

  /** What the model assumes that this configuration does not give (64-bit, SMP). */
  missingRequirements(): string[] {
    return REQUIRED_SYMBOLS.filter((s) => this.values.get(s) !== 'y');
  }
}

/** Parses `.config` text: `CONFIG_X=value` and `# CONFIG_X is not set`. */
export function parseConfig(text: string, file: string): KernelConfig {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(CONFIG_\w+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2];
    if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    if (v !== 'n') values.set(m[1], v);
  }
  return new KernelConfig(file, values);
}

/**
 * Where a decompressed configuration is kept between runs (xz takes a tenth of a
 * second per process): beside the lift cache, keyed by the file's path and state.
 */
function decompressedCopy(file: string): string | undefined {
  const env = process.env.RACELENS_LIFT_CACHE;
  if (env === 'off' || env === '0') return undefined;
  try {
    const st = fs.statSync(file, { bigint: true });
    const key = crypto.createHash('sha256').update(`${file}\0${st.size}\0${st.mtimeNs}\0${st.ino}`).digest('hex').slice(0, 24);
    const root = env || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'racelens', 'lift');
    return path.join(root, 'configs', `${key}.config`);
  } catch {
    return undefined;
  }
}

/** Reads a configuration file; an `.xz` file goes through the `xz` command. */
export function readConfig(file: string): KernelConfig {
  let text: string;
  const copy = file.endsWith('.xz') ? decompressedCopy(file) : undefined;
  if (copy && fs.existsSync(copy)) {
    text = fs.readFileSync(copy, 'utf8');
  } else if (file.endsWith('.xz')) {
    try {
      text = execFileSync('xz', ['-dc', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(`${file}: cannot decompress (${(e as Error).message.split('\n')[0]}); is xz-utils installed?`);
    }
    if (copy) writeAtomically(copy, text);
  } else {
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`${file}: cannot read the kernel configuration (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  if (!/^CONFIG_\w+=/m.test(text)) throw new Error(`${file}:1:1: not a kernel configuration (no CONFIG_...= line)`);
  return parseConfig(text, file);
}

const cache = new Map<string, KernelConfig>();

export interface ConfigChoice {
  config?: KernelConfig;
  /** why there is none, to be said in the run's notes */
  missing?: string;
  /** a configuration of another release stands in: said in the run's notes */
  substitute?: string;
}

/** Releases with a Debian configuration installed ("6.1"), newest first. */
function installedDebianReleases(): string[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync('/usr/src').filter((n) => /^linux-config-\d+\.\d+$/.test(n));
  } catch {
    return [];
  }
  return names.map((n) => n.slice('linux-config-'.length)).filter((r) => fs.existsSync(debianConfigPath(r)))
    .sort((a, b) => compareDotted(b, a));
}

function compareDotted(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

function cached(file: string): KernelConfig {
  let config = cache.get(file);
  if (!config) cache.set(file, (config = readConfig(file)));
  return config;
}

/**
 * The configuration for a run: `file` when given (an error if unreadable), otherwise
 * Debian's for `release` when installed, otherwise Debian's for the nearest installed
 * release (said as a substitute, when `substitute`); otherwise none, with the reason.
 */
export function chooseConfig(file: string | undefined, release: string | undefined, substitute = true): ConfigChoice {
  if (file) return { config: cached(file) };
  if (!release) return { missing: 'no kernel configuration: the release of the source is unknown; pass --config FILE' };
  const own = debianConfigPath(release);
  if (fs.existsSync(own)) return { config: cached(own) };
  const installed = substitute ? installedDebianReleases() : [];
  const near = installed.find((r) => compareDotted(r, release) <= 0) ?? installed[installed.length - 1];
  if (near) {
    return {
      config: cached(debianConfigPath(near)),
      substitute: `no Debian configuration for ${release} (${own}); Debian's ${near} configuration (${debianConfigPath(near)}) stands in: symbols it does not list count as not set (pass --config FILE for the tree's own)`,
    };
  }
  return { missing: `no kernel configuration: ${own} is not installed (apt-get install linux-config-${release}), and no --config FILE was given` };
}
