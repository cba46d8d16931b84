/**
 * Every name the catalog knows, in every era's spelling, as one pattern: the text
 * prefilter of the index looks for these words and nothing else.
 */
import { CATALOG } from '../catalog/functions.js';

let pattern: RegExp | undefined;

export function catalogNames(): string[] {
  return [...new Set(CATALOG.flatMap((e) => e.names))];
}

/** A global, sticky-free regex matching any catalog name as a whole word. */
export function catalogNamePattern(): RegExp {
  if (!pattern) {
    // longest first, so that `__folio_end_writeback` is not read as `folio_end_writeback`
    const names = catalogNames().sort((a, b) => b.length - a.length);
    pattern = new RegExp(`(?<![A-Za-z0-9_])(?:${names.join('|')})(?![A-Za-z0-9_])`, 'g');
  }
  return new RegExp(pattern.source, 'g');
}
