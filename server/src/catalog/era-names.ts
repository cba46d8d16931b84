/**
 * Which spelling of a catalogued function a release uses: the catalog's `since` table
 * (functions.ts) says in which release a later name replaced the earlier ones, the way
 * its `names` list maps page and folio names. Used to say, when a name has no model in
 * a tree, what that tree calls it.
 */
import { entryByName } from './functions.js';
import { compareReleases } from './tree.js';

export interface EraName {
  /** the name the release uses */
  name: string;
  /** the release that introduced it (absent: the oldest spelling) */
  since?: string;
}

/** The name of `name`'s catalog entry in `release`; undefined when the catalog does not know the function or records no rename. */
export function nameInRelease(name: string, release: string): EraName | undefined {
  const entry = entryByName(name);
  if (!entry?.since) return undefined;
  let best: EraName = { name: entry.names[0] };
  for (const n of entry.names) {
    const since = entry.since[n];
    if (since !== undefined && compareReleases(since, release) <= 0 && (best.since === undefined || compareReleases(since, best.since) > 0)) {
      best = { name: n, since };
    }
  }
  return best;
}

/** "in 6.12 it is shrink_folio_list (renamed in 6.1)", or undefined when the name is already the release's. */
export function renamedNote(name: string, release: string): string | undefined {
  const now = nameInRelease(name, release);
  if (!now || now.name === name) return undefined;
  return `in ${release} it is ${now.name}${now.since ? ` (renamed in ${now.since})` : ''}`;
}
