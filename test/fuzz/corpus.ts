/**
 * The fuzz corpus: seeded, so a failing case reproduces from its number. Random and
 * mutated `.race` files, mutated kernel-style C, names that are Object.prototype's
 * members, and damaged lift cache entries. The same corpus feeds the in-process suite,
 * the CLI sample and (when it exists) the language server test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** xorshift32: small, seeded, the same sequence on every machine. */
export class Rng {
  private x: number;
  constructor(seed: number) { this.x = (seed >>> 0) || 0x9e3779b9; }
  next(): number {
    let x = this.x;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.x = x;
    return x;
  }
  int(n: number): number { return this.next() % Math.max(1, n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
  chance(p: number): boolean { return this.next() / 0x100000000 < p; }
}

/** Names that a plain-object lookup would find on Object.prototype. */
export const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'prototype'];

export const SCENARIO_DIR = path.join(ROOT, 'server', 'builtin', 'scenarios');
export const BUILTIN_RACES: { name: string; text: string }[] = fs.readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.race')).sort()
  .map((f) => ({ name: f, text: fs.readFileSync(path.join(SCENARIO_DIR, f), 'utf8') }));

const FIXTURE_DIR = path.join(ROOT, 'test', 'fixtures', 'kernel');
export const C_FIXTURES: { name: string; text: string }[] = fs.readdirSync(FIXTURE_DIR).sort().flatMap((d) => {
  const dir = path.join(FIXTURE_DIR, d);
  if (!fs.statSync(dir).isDirectory()) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.c')).sort().map((f) => ({ name: `${d}/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
});

const RACE_WORDS = [
  'race', 'era', 'setup', 'fs', 'file', 'page', 'index', 'buffers', 'uptodate', 'dirty', 'writeback', 'locked',
  'delalloc', 'mmap', 'shared', 'private', 'present', 'absent', 'readonly', 'writable', 'clean', 'check', 'expect',
  'holds', 'violated', 'final', 'from', 'fixed-by', 'in', 'P0', 'P1', 'P2', 'P9', 'F', 'P', 'U', 'Q', '{', '}', '(',
  ')', ';', ',', '[', ']', '=', '"t"', '"', '0', '1', '2', '-1', '99999999999999999999', '6.1', '5.10', '2.6.19',
  '5.10+hugh', '6.1+early-unlock', 'ext3', 'ext4', 'nobh', 'lost-write', 'bug-on', 'deadlock', 'lock_page',
  'unlock_page', 'set_page_dirty', 'writeback_sync', 'store', 'read', 'munmap', 'sync', 'truncate', 'reclaim',
  'io_schedule', 'end_page_writeback', 'folio_mark_dirty', '#', '\n', '\n', '\n', ' ', '\t', 'data=ordered',
  ...PROTO_NAMES,
];

/** Token soup in the words of the language. */
export function randomRace(rng: Rng): string {
  const n = 5 + rng.int(120);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(rng.pick(RACE_WORDS));
  return out.join(rng.chance(0.5) ? ' ' : '');
}

/** Random bytes, printable or not. */
export function randomBytes(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(rng.chance(0.9) ? 32 + rng.int(95) : rng.int(256));
  return s;
}

/** A built-in scenario with a few lines or words changed: most stay close to valid. */
export function mutatedRace(rng: Rng): string {
  const base = rng.pick(BUILTIN_RACES).text;
  const lines = base.split('\n');
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits; e++) {
    const i = rng.int(lines.length);
    switch (rng.int(9)) {
      case 0: lines.splice(i, 1); break;
      case 1: lines.splice(i, 0, lines[rng.int(lines.length)] ?? ''); break;
      case 2: { // replace a word with a word of the language or a prototype name
        const words = (lines[i] ?? '').split(/(\s+|[{}();,\[\]])/);
        const w = rng.int(words.length);
        words[w] = rng.chance(0.5) ? rng.pick(PROTO_NAMES) : rng.pick(RACE_WORDS);
        lines[i] = words.join('');
        break;
      }
      case 3: lines[i] = (lines[i] ?? '').slice(0, rng.int((lines[i] ?? '').length + 1)); break;
      case 4: lines.splice(i, 0, `era ${rng.pick(['__proto__', 'constructor', '6.1+__proto__', '5.10+toString', 'valueOf', '9.9'])}`); break;
      case 5: lines.splice(i, 0, `expect ${rng.pick(['6.1', '5.10', '__proto__', '6.1+constructor'])} ${rng.pick(['fs ext4 ', 'fs __proto__ ', ''])}${rng.pick(['holds', 'violated bug-on', 'violated __proto__'])}`); break;
      case 6: lines.splice(i, 0, `P${rng.int(10)} ${rng.pick(PROTO_NAMES)} { ${rng.pick(PROTO_NAMES)}(${rng.pick(['P', 'F', '', 'P, P', '__proto__', 'U[P]'])}) }`); break;
      case 7: lines[i] = (lines[i] ?? '').replace(/\b(P|F|U)\b/, rng.pick(PROTO_NAMES)); break;
      default: lines.splice(i, 0, `P${rng.int(8)} x { ${rng.pick(['io_schedule()', 'lock_page()', 'munmap(F)', 'store(U, P, 0)', 'set_page_dirty(P, P)', 'writeback(F)', 'reclaim(F)', 'truncate(F, 0)', 'read(F, 0)'])} }`); break;
    }
  }
  return lines.join(rng.chance(0.1) ? '\r\n' : '\n');
}

const C_TOKENS = ['if', '(', ')', '{', '}', ';', 'while', 'for', 'goto out;', 'out:', 'return', '0', '1', '->', '*',
  '&', '!', 'page', 'folio', 'mapping', 'x', 'int', 'struct page *', 'lock_page(page);', 'unlock_page(page);',
  'BUG_ON(1);', 'folio_mark_dirty(folio);', 'f(f);', '((void (*)(void))1)();', 'while (1) ;', 'break;', 'continue;',
  'switch (x) { case 1: break; }', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf',
  'p->__proto__', 'p->constructor', '(constructor)x', 'constructor y = 0;', 'x->__proto__->toString()', '#if 0', '#endif', '\n'];

/** A fixture file with tokens inserted, deleted or swapped. */
export function mutatedC(rng: Rng): { name: string; text: string } {
  const base = rng.pick(C_FIXTURES);
  const toks = base.text.split(/(\s+)/);
  const edits = 1 + rng.int(6);
  for (let e = 0; e < edits; e++) {
    const i = rng.int(toks.length);
    switch (rng.int(4)) {
      case 0: toks.splice(i, 1); break;
      case 1: toks.splice(i, 0, ' ', rng.pick(C_TOKENS), ' '); break;
      case 2: toks[i] = rng.pick(C_TOKENS); break;
      default: toks.splice(i, 0, toks[rng.int(toks.length)] ?? ''); break;
    }
  }
  return { name: base.name, text: toks.join('') };
}

/** Text that a JavaScript failure would leave in a message. */
export const JS_ERROR_TEXT = /TypeError|RangeError|ReferenceError|SyntaxError: |is not iterable|is not a function|Cannot read prop|Cannot set prop|\bundefined\b|\[object Object\]|^\s+at .*:\d+:\d+\)?$|node:internal|Maximum call stack/m;
