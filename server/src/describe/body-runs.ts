/**
 * Whether a function's body, as the source gives it, is what the next run follows —
 * known before any run, from the rules the source model set applies (source-models.ts):
 * a primitive or a no-op serves its name unless the catalog says the source runs; a
 * catalog entry may keep its built-in model; a name no built-in race reaches is not
 * run at all. A lift that turns out unusable is learnt from the description once it is
 * built (the `fallback` of its body), which refines this answer.
 */
import { entryByName } from '../catalog/functions.js';
import { isNoop } from '../catalog/noops.js';
import { SOURCE_OVER_PRIMITIVE } from '../catalog/primitive-reasons.js';
import { primitives } from '../sim/ops/index.js';
import type { BodyRuns } from '../catalog/boundary-messages.js';
import type { FunctionDescription } from './function-description.js';
import { racesOf } from './races-per-function.js';

export function bodyRuns(name: string): BodyRuns {
  if (primitives.get(name) && !SOURCE_OVER_PRIMITIVE.has(name)) return { runs: 'instead', servedBy: 'the simulator primitive' };
  if (isNoop(name)) return { runs: 'instead', servedBy: 'a no-op' };
  if (entryByName(name)?.lift?.use === 'builtin') return { runs: 'instead', servedBy: 'the built-in model' };
  if (!racesOf(name).length) return { runs: 'unreached' };
  return { runs: 'source' };
}

/** The same answer from a description built against the source (it knows a lift that failed). */
export function bodyRunsOf(d: FunctionDescription): BodyRuns {
  const first = bodyRuns(d.name);
  if (first.runs !== 'source') return first;
  if (d.body.kind === 'builtin') return { runs: 'instead', servedBy: `the built-in model (${d.body.file}:${d.body.at.line})` };
  if (d.body.kind === 'primitive') return { runs: 'instead', servedBy: 'the simulator primitive' };
  if (d.body.kind === 'noop') return { runs: 'instead', servedBy: 'a no-op' };
  return first;
}
