/**
 * A whole-tree verdict is the tree's only where the functions the race's fix changed ran
 * from the tree. When the tree defines one of them and a built-in model ran instead
 * (a `builtin-over-source` assumption, one among dozens), the verdict is that model's,
 * whatever the tree's own body does: said right under the verdict, not in the count.
 */
import { RACE_HISTORY } from '../describe/race-history.js';
import { treeRelative, type AssumptionLike } from './assumption-summary.js';

/** The `builtin-over-source` assumptions of the functions the race's fix touched (fixTouched names each era's spelling). */
export function fixOnBuiltin(scenario: string, assumptions: readonly AssumptionLike[]): AssumptionLike[] {
  const touched = RACE_HISTORY[scenario]?.fixTouched ?? [];
  const names = new Set(touched);
  return assumptions.filter((a) => a.kind === 'builtin-over-source' && a.function !== undefined && names.has(a.function));
}

/** One line per such function, paths inside the tree. */
export function fixOnBuiltinLines(scenario: string, assumptions: readonly AssumptionLike[], roots: readonly string[]): string[] {
  const shown = treeRelative(roots);
  return fixOnBuiltin(scenario, assumptions).map((a) => {
    const model = /the built-in model \(([^)]*)\)/.exec(a.message)?.[1];
    const at = a.at ? ` at ${shown(a.at.file)}:${a.at.line}` : '';
    return `  this verdict rests on the built-in model of ${a.function}()${model ? ` (${model})` : ''}, not on the tree's body${at}, which the race's fix changed`;
  });
}
