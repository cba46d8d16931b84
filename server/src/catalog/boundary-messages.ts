/**
 * The one wording of a `builtin-over-source` assumption: a function the source defines
 * whose body the run does not follow, what runs instead and why. Made here and read
 * back here, so that an editor can say above such a function that its body on screen
 * is not what ran.
 */

/** What runs in place of a source body. */
export type ServedBy = 'the simulator primitive' | 'a no-op' | `the built-in model (${string})`;

export function boundaryMessage(name: string, servedBy: ServedBy, where: string, why: string): string {
  return `${name}: ${servedBy} runs instead of the source at ${where}: ${why}`;
}

/** What ran instead of `name`'s body, from its assumption's message; undefined for another function's. */
export function servedByOf(name: string, message: string): string | undefined {
  const head = `${name}: `;
  if (!message.startsWith(head)) return undefined;
  const at = message.indexOf(' runs instead of the source at ', head.length);
  return at < 0 ? undefined : message.slice(head.length, at);
}

/** Whether a function's body on screen is what a run follows: the one wording of lens, hover and explain. */
export type BodyRuns =
  | { runs: 'source' }
  | { runs: 'instead'; servedBy: ServedBy | 'the built-in model' }
  | { runs: 'unreached' };

export function bodyRunsLine(b: BodyRuns): string {
  if (b.runs === 'source') return 'this body runs';
  if (b.runs === 'unreached') return 'no race reaches this body';
  // the model's file and line stay in the hover's detail; the lens says who, not where
  return `${b.servedBy.replace(/ \(.*\)$/, '')} runs instead of this body`;
}
