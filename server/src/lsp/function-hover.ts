/**
 * The hover of a kernel function: the engine's description (describeFunction, the
 * same answer `racelens explain` prints) as escaped markdown, plus the latest verdict
 * of each of its races against this body. Descriptions are cached until a source
 * changes, so a hover costs a lookup.
 */
import { describeFunction, describeMarkdown, escapeMarkdown, type DescribeSource, type FunctionDescription } from '../describe/index.js';
import type { RunResultJson } from '../scenario/result-json.js';
import { servedByOf } from '../catalog/boundary-messages.js';

/**
 * What ran instead of `name`'s body in a run, when the run did not follow that body (a
 * built-in, a primitive or a no-op stood for it; said as a builtin-over-source assumption).
 */
export function bodyNotRun(r: RunResultJson, name: string): string | undefined {
  for (const a of r.assumptions ?? []) {
    if (a.kind !== 'builtin-over-source' || a.function !== name) continue;
    const by = servedByOf(name, a.message);
    if (by) return by;
  }
  return undefined;
}

/** A verdict line for a lens or hover above `name`: says so when the body on screen is not what ran. */
export function verdictLineFor(r: RunResultJson, name: string): string {
  const by = bodyNotRun(r, name);
  return by ? `${verdictLine(r)} · this body not run: ${by.replace(/ \(.*\)$/, '')} stands for it` : verdictLine(r);
}

export function verdictLine(r: RunResultJson): string {
  if (r.verdict === 'holds') return `✓ holds · ${r.executions.toLocaleString('en-US')} executions`;
  if (r.verdict === 'violated') {
    const steps = r.trace?.length ? r.trace[r.trace.length - 1].step : 0;
    return `✗ ${r.invariant ?? 'violated'} in ${steps} steps`;
  }
  if (r.verdict === 'incomplete') return `… incomplete (${r.budgetHit ?? 'budget'}) · ${r.executions.toLocaleString('en-US')} executions`;
  return `⚠ error: ${(r.message ?? '').split('\n')[0]}`;
}

export class Descriptions {
  private readonly cache = new Map<string, FunctionDescription | null>();

  /** `sourceId` names the text the body comes from (a key and its version), for the cache. */
  get(name: string, era: string, source: DescribeSource | undefined, sourceId: string): FunctionDescription | undefined {
    const key = `${name}\u0000${era}\u0000${sourceId}`;
    let d = this.cache.get(key);
    if (d === undefined) {
      try {
        d = describeFunction(name, era, source);
      } catch {
        // a source that will not lift still has its catalog answer
        try {
          d = describeFunction(name, era);
        } catch {
          d = null;
        }
      }
      if (this.cache.size > 2000) this.cache.clear();
      this.cache.set(key, d);
    }
    return d ?? undefined;
  }

  clear(): void {
    this.cache.clear();
  }
}

/** Markdown for the hover, or undefined when the name is nothing racelens knows. */
export function hoverMarkdown(d: FunctionDescription, latest: (race: string) => RunResultJson | undefined): string | undefined {
  if (!d.entry && (d.body.kind === 'unknown' || d.body.kind === 'noop')) return undefined;
  const out = [describeMarkdown(d)];
  const runs = d.races.flatMap((r) => {
    const last = latest(r.scenario);
    return last ? [`- ${escapeMarkdown(r.scenario)}, era ${escapeMarkdown(last.era)}: ${escapeMarkdown(verdictLineFor(last, d.name))}`] : [];
  });
  if (runs.length) out.push('', '**Last run against this body**', '', ...runs);
  return out.join('\n');
}
