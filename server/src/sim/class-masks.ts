/**
 * Location classes and their bit masks (footprint-classes.ts says what the classes of
 * code are): the class of a concrete location key, with or without its object, and
 * class sets as masks for the conflict tests the persistent sets and step fusion run at
 * every state, a few integer operations on typed words.
 */
import type { ClassSet } from './footprint-classes.js';

const classMemo = new Map<string, string>();

/** The class of a concrete location key (see world.ts for the key names). */
export function classOfKey(key: string): string {
  let c = classMemo.get(key);
  if (c === undefined) {
    c = computeClass(key);
    classMemo.set(key, c);
  }
  return c;
}

function computeClass(key: string): string {
  const colon = key.indexOf(':');
  if (colon < 0) return key.startsWith('reclaim.') ? 'reclaim' : key;
  const space = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  const last = rest.slice(rest.lastIndexOf('.') + 1);
  switch (space) {
    case 'pg': return `pg.${last}`;
    case 'mem': return 'mem';
    case 'tag': return `tag.${rest.split('.')[1]}`;
    case 'bh': return `bh.${last}`;
    case 'pte': return 'pte';
    case 'disk': case 'dmax': case 'ver': case 'dio': return 'disk';
    case 'lock': return `lock.${last}`;
    case 'wq': return `wq.${last}`;
    case 'task': return `task.${last}`;
    case 'vma': return `vma.${last}`;
    case 'fld': return `fld.${last}`;
    // the page wait queues' objects (wait-objects.ts): a class per field
    case 'wqe': case 'wpq': case 'wpk': case 'wqh': return `${space}.${last}`;
    default: return space;
  }
}

/**
 * Object-qualified classes: "bh.async_write@P.0" is the class of one buffer's (or one
 * page's, "pg.locked@P") location alone. A future says one when the code can touch that
 * class only through an object it is bound to (function-classes.ts binds a frame's
 * object parameters); a step's real footprint always says its objects. A qualified
 * class overlaps its bare class and the same class of the same object, never the same
 * class of another object: a completion that clears BH_Async_Write of buffer P.0 does
 * not conflict with a read of P.1's.
 */
const QUALIFIED_SPACES: Readonly<Record<string, string>> = { pg: 'pg', bh: 'bh', wq: 'wq' };

const objectClassMemo = new Map<string, string>();

/** The class of a location key with its object kept ("bh:P.0.async_write" → "bh.async_write@P.0"), or its bare class. */
export function objectClassOfKey(key: string): string {
  let c = objectClassMemo.get(key);
  if (c === undefined) {
    const colon = key.indexOf(':');
    const space = colon < 0 ? undefined : QUALIFIED_SPACES[key.slice(0, colon)];
    const rest = key.slice(colon + 1);
    const dot = rest.lastIndexOf('.');
    c = space && dot > 0 ? `${classOfKey(key)}@${rest.slice(0, dot)}` : classOfKey(key);
    objectClassMemo.set(key, c);
  }
  return c;
}

/** The bare class of a class ("bh.async_write@P.0" → "bh.async_write"). */
export function bareClass(c: string): string {
  const at = c.indexOf('@');
  return at < 0 ? c : c.slice(0, at);
}

/**
 * Class sets as bit masks, for the persistent-set tests run at every state. Each class
 * gets a bit; a mask's `own` bits are its classes, its `wide` bits add what they
 * overlap: every class of a family for "x.*" (all for "*"), and the bits of "x.*" and
 * "*" for a class of family x. Two masks overlap iff own(a) & wide(b) or wide(a) & own(b)
 * is not empty: a class numbered after a wildcard was masked is still caught by the
 * second test, because its own wide bits name the wildcard. Masks are as wide as the
 * classes numbered when they were made (bits past a mask's end are clear), so the test
 * is exact however many classes a process has met: a fixed width made the classes past
 * it overlap everything, and which classes those were depended on what the process had
 * run before (a whole 6.12 tree names some 290 classes in one race). Class sets must not
 * change once they have been masked (they are built once and kept).
 */
const classBits = new Map<string, number>();

interface Mask {
  /** own bits, 32 classes a word */
  o: Int32Array;
  /** own bits and the bits of what they overlap; as long as `o` */
  w: Int32Array;
  /** "*": overlaps every class, numbered now or later */
  all: boolean;
  /** has an own bit */
  any: boolean;
  /** `o` and `w` folded into one word each (bit b lands on b & 31): two masks whose folds share no bit share no bit */
  fo: number;
  fw: number;
  /**
   * folded again, bit b on (b ^ b >>> 5) & 31: two classes that share a bit in one fold
   * share none in the other (below 1024 classes), so a pair of masks that passes both
   * folds mostly does meet, and the words are read far less often
   */
  fo2: number;
  fw2: number;
  /** the words of `o` that are not zero, in no order: own bits are few, so a mask this wide is read only there */
  nz: number[];
  /** `o` and `w` are one word each: the folds are the words, and two such masks overlap iff their folds do */
  one: boolean;
}

/** Per bare class, the bits of its object-qualified classes numbered so far. */
const qualifiedBits = new Map<string, number[]>();

function bitOf(c: string): number {
  let b = classBits.get(c);
  if (b === undefined) {
    classBits.set(c, (b = classBits.size));
    const at = c.indexOf('@');
    if (at > 0) {
      const bare = c.slice(0, at);
      let list = qualifiedBits.get(bare);
      if (!list) qualifiedBits.set(bare, (list = []));
      list.push(b);
    }
  }
  return b;
}

function newMask(): Mask {
  const words = (classBits.size >>> 5) + 1;
  return { o: new Int32Array(words), w: new Int32Array(words), all: false, any: false, fo: 0, fw: 0, fo2: 0, fw2: 0, nz: [], one: words === 1 };
}

/** Makes room for bit b in both words arrays (a class numbered while the mask is built). */
function fit(m: Mask, b: number): void {
  const words = (b >>> 5) + 1;
  if (words <= m.o.length) return;
  const o = new Int32Array(words);
  o.set(m.o);
  const w = new Int32Array(words);
  w.set(m.w);
  m.o = o;
  m.w = w;
  m.one = false;
}

/** The bits a class sets in a `wide` mask besides its own (wildcards it falls under). */
const wideExtra = new Map<string, number[]>();

function extraBits(c: string): number[] {
  let bits = wideExtra.get(c);
  if (!bits) {
    bits = [bitOf('*')];
    const dot = c.indexOf('.');
    if (dot > 0) bits.push(bitOf(`${c.slice(0, dot + 1)}*`));
    // an object's class is also its bare class (which a future not bound to an object says)
    const at = c.indexOf('@');
    if (at > 0) bits.push(bitOf(c.slice(0, at)));
    wideExtra.set(c, bits);
  }
  return bits;
}

function setWide(m: Mask, b: number): void {
  fit(m, b);
  m.w[b >>> 5] |= 1 << (b & 31);
  m.fw |= 1 << (b & 31);
  m.fw2 |= fold2(b);
}

function fold2(b: number): number {
  return 1 << ((b ^ (b >>> 5)) & 31);
}

function addClass(m: Mask, c: string): void {
  const b = bitOf(c);
  fit(m, b);
  if (m.o[b >>> 5] === 0) m.nz.push(b >>> 5);
  m.o[b >>> 5] |= 1 << (b & 31);
  m.w[b >>> 5] |= 1 << (b & 31);
  m.fo |= 1 << (b & 31);
  m.fw |= 1 << (b & 31);
  m.fo2 |= fold2(b);
  m.fw2 |= fold2(b);
  m.any = true;
  if (c === '*') {
    m.all = true;
    return;
  }
  for (const x of extraBits(c)) setWide(m, x);
  // a bare class overlaps every object's class of it (those numbered later name it in their own wide bits)
  for (const x of qualifiedBits.get(c) ?? []) setWide(m, x);
  if (c.endsWith('.*')) {
    const family = c.slice(0, -1);
    for (const [other, ob] of classBits) if (other.startsWith(family)) setWide(m, ob);
  }
}

/** Whether a's own bits meet the words `y` (another mask's wide bits). */
function meets(a: Mask, y: Int32Array): boolean {
  const o = a.o, nz = a.nz;
  for (let k = 0; k < nz.length; k++) {
    const i = nz[k];
    if (i < y.length && (o[i] & y[i]) !== 0) return true;
  }
  return false;
}

function overlap(a: Mask, b: Mask): boolean {
  // the folds answer "no" in one instruction for most pairs, and "yes" when both masks are one word; the words only otherwise
  if ((a.fo & b.fw) !== 0 && (a.fo2 & b.fw2) !== 0 && ((a.one && b.one) || meets(a, b.w))) return true;
  if ((a.fw & b.fo) !== 0 && (a.fw2 & b.fo2) !== 0 && ((a.one && b.one) || meets(b, a.w))) return true;
  return (a.all && b.any) || (b.all && a.any);
}

const MASK = Symbol('classMask');

function maskOf(set: Set<string> & { [MASK]?: Mask }): Mask {
  let m = set[MASK];
  if (!m) {
    m = newMask();
    for (const c of set) addClass(m, c);
    set[MASK] = m;
  }
  return m;
}

export function intersects(a: Set<string>, b: Set<string>): boolean {
  return overlap(maskOf(a), maskOf(b));
}

/**
 * A step's classes as masks: what it reads (`live`: leaving out "is the page freed"),
 * what it writes, and both (`rw`: what a step that writes conflicts with when these
 * masks are a thread's future; overlap distributes over the union, so one test
 * stands for two).
 */
export interface StepMasks {
  r: Mask; live: Mask; w: Mask; rw: Mask | undefined;
  /** reads "is the page freed" (else `live` is `r`, and whether a page may leave the page cache does not matter) */
  freed: boolean;
  /** its number among the masks asked about as futures (`conflicts`) in numbering `fe`; -1 until first asked */
  fi: number;
  fe: number;
  /**
   * `conflicts` with these masks as the step, in numbering `ke`: per future's number and
   * whether the page's freeing matters, 0 not asked, 1 no, 2 yes
   */
  known: Int8Array | undefined;
  ke: number;
}

/** The union of two masks, as a new mask. */
function union(a: Mask, b: Mask): Mask {
  const m = newMask();
  or(m, a);
  or(m, b);
  return m;
}

const STEP_MASKS = Symbol('stepMasks');

/** The masks of a class set (a future, a primitive's stated classes), kept with it. */
export function classMasks(cs: ClassSet & { [STEP_MASKS]?: StepMasks }): StepMasks {
  let m = cs[STEP_MASKS];
  if (!m) {
    const live = newMask();
    let freed = false;
    for (const c of cs.r) {
      if (bareClass(c) !== FREED) addClass(live, c);
      else freed = true;
    }
    const r = maskOf(cs.r), w = maskOf(cs.w);
    m = { r, live, w, rw: union(r, w), freed, fi: -1, fe: -1, known: undefined, ke: -1 };
    cs[STEP_MASKS] = m;
  }
  return m;
}

const FREED = 'pg.freed';

/** Per location: its class, whether that is "is the page freed", and a mask of it alone. */
const keyMasks = new Map<string, { mask: Mask; freed: boolean }>();

function keyMask(k: string): { mask: Mask; freed: boolean } {
  let m = keyMasks.get(k);
  if (!m) {
    const c = objectClassOfKey(k);
    const mask = newMask();
    addClass(mask, c);
    keyMasks.set(k, (m = { mask, freed: bareClass(c) === FREED }));
  }
  return m;
}

function or(into: Mask, m: Mask): void {
  if (m.o.length > into.o.length) fit(into, m.o.length * 32 - 1);
  const o = into.o, w = into.w, mo = m.o, mw = m.w;
  for (let i = 0; i < mo.length; i++) {
    if (o[i] === 0 && mo[i] !== 0) into.nz.push(i);
    o[i] |= mo[i];
    w[i] |= mw[i];
  }
  into.fo |= m.fo;
  into.fw |= m.fw;
  into.fo2 |= m.fo2;
  into.fw2 |= m.fw2;
  if (m.all) into.all = true;
  if (m.any) into.any = true;
}

/** The masks of the locations a step really read and wrote. */
export function footprintMasks(reads: readonly string[], writes: readonly string[]): StepMasks {
  const r = newMask();
  const live = newMask();
  const w = newMask();
  let freed = false;
  for (const k of reads) {
    const m = keyMask(k);
    or(r, m.mask);
    if (!m.freed) or(live, m.mask);
    else freed = true;
  }
  for (const k of writes) or(w, keyMask(k).mask);
  // a step's masks are asked about as a future only by exception: the union when first asked
  return { r, live, w, rw: undefined, freed, fi: -1, fe: -1, known: undefined, ke: -1 };
}

/**
 * Whether a step may conflict with what a thread can still do: it writes what the
 * future reads or writes, or reads what it writes. Whether the page is freed only
 * counts while a page may leave the page cache (until then its last reference stays).
 *
 * Asked some ten times at every state, of few masks (writeback-stale-wake 6.1: 520
 * steps, 73 futures), and masks never change once made: each answer is kept with the
 * step, by the future's number, and found again in a few loads instead of the masks'
 * words (a test took 60 to 90 ns on masks of two words).
 */
export function conflicts(step: StepMasks, future: StepMasks, freedMatters: boolean): boolean {
  let f = future.fe === numbering ? future.fi : -1;
  if (f < 0) {
    if (futuresNumbered >= MAX_KNOWN_FUTURES) return conflictsOf(step, future, freedMatters);
    f = future.fi = futuresNumbered++;
    future.fe = numbering;
  }
  const at = f * 2 + (freedMatters ? 1 : 0);
  let known = step.ke === numbering ? step.known : undefined;
  if (known === undefined || at >= known.length) {
    known = step.known = widened(known, at);
    step.ke = numbering;
  }
  const k = known[at];
  if (k !== 0) return k === 2;
  const answer = conflictsOf(step, future, freedMatters);
  known[at] = answer ? 2 : 1;
  return answer;
}

/**
 * Futures are numbered afresh for every machine (`newConflictNumbering`): masks outlive
 * machines (the futures' are shared by every machine over the same programs), and
 * numbers given over a server's life would grow without end and each step's answers
 * with them. An answer or a number of another numbering is not used. Past
 * MAX_KNOWN_FUTURES in one numbering, a new future's answers are worked out every time,
 * so that no step keeps more than twice that many bytes of answers.
 */
const MAX_KNOWN_FUTURES = 1024;
let futuresNumbered = 0;
let numbering = 0;

export function newConflictNumbering(): void {
  numbering++;
  futuresNumbered = 0;
}

/** Room for answer `at` in a step's answers, keeping those there. */
function widened(known: Int8Array | undefined, at: number): Int8Array {
  const wider = new Int8Array(Math.max(at + 1, known === undefined ? 16 : known.length * 2));
  if (known !== undefined) wider.set(known);
  return wider;
}

function conflictsOf(step: StepMasks, future: StepMasks, freedMatters: boolean): boolean {
  return overlap(step.w, future.rw ?? (future.rw = union(future.r, future.w))) || overlap(freedMatters ? step.r : step.live, future.w);
}
