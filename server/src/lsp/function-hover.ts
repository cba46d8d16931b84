/**
 * Descriptions of kernel functions (describeFunction, the same answer `racelens
 * explain` prints), cached until a source changes; the one-line form of a verdict.
 * Building a description lifts a body, so the C hover only reads what is cached
 * (short-hover.ts) and a worker thread builds them after a document is opened or edited (described-bodies.ts).
 */
import { describeFunction, describeMarkdown, type DescribeSource, type FunctionDescription } from '../describe/index.js';
import type { RunResultJson } from '../scenario/result-json.js';

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

/** Markdown for a hover in a .race document (the description in full), or undefined when the name is nothing racelens knows. */
export function hoverMarkdown(d: FunctionDescription): string | undefined {
  if (!d.entry && (d.body.kind === 'unknown' || d.body.kind === 'noop')) return undefined;
  return describeMarkdown(d);
}
