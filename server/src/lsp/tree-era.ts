/**
 * The era of a kernel tree: its release from the top Makefile (VERSION, PATCHLEVEL,
 * SUBLEVEL), mapped to the newest era of the built-ins that is not newer. Adapter
 * until catalog/tree.ts (release → era) lands.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eraNames } from '../catalog/models.js';

export function treeRelease(folder: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(folder, 'Makefile'), 'utf8').slice(0, 4096);
  } catch {
    return undefined;
  }
  const v = /^VERSION\s*=\s*(\d+)/m.exec(text)?.[1];
  const p = /^PATCHLEVEL\s*=\s*(\d+)/m.exec(text)?.[1];
  const s = /^SUBLEVEL\s*=\s*(\d+)/m.exec(text)?.[1];
  if (!v || !p) return undefined;
  return v === '2' && s ? `${v}.${p}.${s}` : `${v}.${p}`;
}

function parts(v: string): number[] {
  return v.split('.').map((x) => Number.parseInt(x, 10) || 0);
}

function compare(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

export function eraOfRelease(release: string): string | undefined {
  const eras = eraNames().filter((e) => compare(e, release) <= 0).sort(compare);
  return eras[eras.length - 1];
}

export function treeEra(folder: string): string | undefined {
  const release = treeRelease(folder);
  return release ? eraOfRelease(release) : undefined;
}
