/**
 * The scaling family: writeback-stale-wake at era 5.11 (where it holds, so every size
 * is a full search rather than a hunt for the first violation) with 3 to 6 CPUs.
 *
 *   3 CPUs: P0 io, P1 writeback, P2 sync; the user CPU (P3) is dropped and the page is
 *           dirty in the setup instead.
 *   4 CPUs: the built-in file's CPUs.
 *   5, 6:   the built-in CPUs plus one or two more sync CPUs, each calling
 *           writeback_sync(F).
 */
import type { RaceFile } from 'racelens-server/out/scenario/index.js';
import { parseOrThrow } from './jobs.js';

export const SCALING_BASE = 'writeback-stale-wake';
export const SCALING_ERA = '5.11';
export const SCALING_SIZES = [3, 4, 5, 6] as const;
/** what the 5- and 6-CPU variants add */
export const EXTRA_CPU = { label: 'sync', call: 'writeback_sync(F)' };

export interface Variant {
  name: string;
  cpus: number;
  file: string;
  text: string;
  /** CPU labels in order, for the table */
  labels: string[];
}

function replaceOnce(text: string, re: RegExp, by: string | ((m: string, ...groups: string[]) => string), what: string): string {
  const hits = text.match(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`));
  if (!hits || hits.length !== 1) throw new Error(`scaling variant: expected exactly one ${what} in ${SCALING_BASE}.race, found ${hits?.length ?? 0}`);
  return text.replace(re, by as string);
}

/** Checks that the built-in file still has the shape the variants are derived from. */
function checkBase(race: RaceFile): void {
  const got = race.cpus.map((c) => `${c.name} ${c.label}`).join(', ');
  const want = 'P0 io, P1 writeback, P2 sync, P3 user';
  if (got !== want) throw new Error(`scaling variant: ${SCALING_BASE}.race has CPUs ${got}; the bench derives its variants from ${want}`);
  const p = race.setup.files.flatMap((f) => f.pages).find((pg) => pg.name === 'P');
  if (!p || !p.flags.writeback || p.flags.dirty) throw new Error(`scaling variant: ${SCALING_BASE}.race no longer starts with page P under writeback and clean`);
}

export function scalingVariant(baseText: string, baseFile: string, cpus: number): Variant {
  checkBase(parseOrThrow(baseText, baseFile));
  const name = `${SCALING_BASE}-${cpus}cpu`;
  let t = baseText;
  t = replaceOnce(t, /^race\s+\S+/m, `race ${name}`, 'race line');
  t = replaceOnce(t, /^era\s+\S+.*$/m, `era ${SCALING_ERA}`, 'era line');
  t = t.replace(/^expect\b.*(\r?\n|$)/gm, '');
  if (!t.endsWith('\n')) t += '\n';
  t += `expect ${SCALING_ERA} holds\n`;
  if (cpus === 3) {
    t = replaceOnce(t, /^P3\s.*(\r?\n|$)/m, '', 'P3 line');
    t = replaceOnce(t, /(page\s+P\s+index\s+0\b[^;}]*?)(\s*[;}])/, (_m, decl: string, end: string) => `${decl} dirty${end}`, 'page P declaration');
  } else if (cpus > 4) {
    let extra = '';
    for (let i = 4; i < cpus; i++) extra += `P${i} ${EXTRA_CPU.label}${i - 2} { ${EXTRA_CPU.call} }\n`;
    t = replaceOnce(t, /^(P3\s.*(?:\r?\n|$))/m, (line: string) => (line.endsWith('\n') ? line : `${line}\n`) + extra, 'P3 line');
  } else if (cpus !== 4) {
    throw new Error(`scaling variant: no recipe for ${cpus} CPUs`);
  }
  const file = `/virtual/${name}.race`;
  const race = parseOrThrow(t, file);
  if (race.cpus.length !== cpus) throw new Error(`scaling variant ${name} has ${race.cpus.length} CPUs, wanted ${cpus}`);
  if (race.era !== SCALING_ERA) throw new Error(`scaling variant ${name} parsed with era ${race.era}`);
  return { name, cpus, file, text: t, labels: race.cpus.map((c) => c.label) };
}
