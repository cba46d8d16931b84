/**
 * The hover's and the lens's code run once at start-up, over a small document of our own,
 * so that the first hover of the session does not pay for what a first run of code costs
 * in V8 (compiling the functions on the path, the catalog's name pattern of the text pass:
 * several milliseconds together), nor for the race ranking of the names it shows. Nothing
 * is kept: the document is not among the open ones, and the answers are dropped.
 */
import { OpenDocuments } from './documents.js';
import { cHover, cLenses, documentTextScan, type CContext } from './c-features.js';
import { racesByRelevance } from './races.js';
import { CATALOG } from '../catalog/functions.js';

/** A kernel-shaped function calling a few catalog names, on lines of their own. */
function warmUpText(names: readonly string[]): string {
  const calls = names.map((n) => `\t${n}(folio);`).join('\n');
  return `/* warm-up */\nstatic void racelens_warm_up(struct folio *folio)\n{\n${calls}\n}\n`;
}

/** Runs the hover and the lens over the warm-up document; `ctx` as the server builds it. Returns how many hovers answered. */
export function warmUp(ctx: (d: ReturnType<OpenDocuments['open']>) => CContext): number {
  // every catalog name ranked now: a library-derived answer, the same for every document
  for (const e of CATALOG) for (const n of e.names) racesByRelevance(n);
  const names = CATALOG.slice(0, 8).map((e) => e.names[e.names.length - 1]);
  const d = new OpenDocuments().open('untitled:racelens-warm-up.c', 'c', 1, warmUpText(names));
  const c = ctx(d);
  documentTextScan(d);
  let answered = 0;
  names.forEach((_, i) => {
    if (cHover(d, { line: 3 + i, character: 2 }, c)) answered++;
  });
  cLenses(d, c);
  return answered;
}
