/**
 * One hunk onto one text, without writing anything: exactly (at the stated line, or at
 * an offset), then line by line with whitespace ignored, then on C tokens (comments
 * ignored, context trimmed at both ends like `patch --fuzz`), then, for a model that is
 * not the same text as the kernel's, by whole definitions.
 */
import { applyExact, applyLoose } from './apply-lines.js';
import { applyTokens } from './apply-tokens.js';
import { applyFunctions } from './apply-functions.js';
import type { HunkOutcome } from './edits.js';
import type { Hunk } from './types.js';

export type { Applied, HunkOutcome, How, NotApplied } from './edits.js';
export { namedFunction } from './apply-tokens.js';

export function applyHunk(target: string, hunk: Hunk): HunkOutcome {
  if (hunk.form !== 'flattened') {
    const exact = applyExact(target, hunk);
    if (exact) return exact;
    const loose = applyLoose(target, hunk);
    if (loose) return loose;
  }
  const byTokens = applyTokens(target, hunk);
  if (byTokens.ok || byTokens.ambiguous) return byTokens;
  const byFunction = applyFunctions(target, hunk);
  return byFunction ?? byTokens;
}

