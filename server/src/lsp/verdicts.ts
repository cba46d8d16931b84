/**
 * The latest run of each race against each body: keyed by the document, the function
 * the lens sat above and the scenario. Hovers and lenses read it; runs write it.
 */
import type { RunResultJson } from '../scenario/result-json.js';

export class Verdicts {
  private readonly byKey = new Map<string, RunResultJson>();

  private key(uri: string, fn: string, scenario: string): string {
    return `${uri}\u0000${fn}\u0000${scenario}`;
  }

  set(uri: string, fn: string, scenario: string, r: RunResultJson): void {
    this.byKey.set(this.key(uri, fn, scenario), r);
  }

  get(uri: string, fn: string, scenario: string): RunResultJson | undefined {
    return this.byKey.get(this.key(uri, fn, scenario));
  }

  forget(uri: string): void {
    for (const k of [...this.byKey.keys()]) if (k.startsWith(`${uri}\u0000`)) this.byKey.delete(k);
  }
}
