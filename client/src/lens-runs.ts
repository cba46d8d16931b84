/**
 * The runs a document's lenses offer, as plain data (no vscode import, so tests read it):
 * a lens runs one race or offers several (`racelens.pickRace`); "Run All Races of This
 * File" runs each race once, since its verdict does not depend on the lens that starts it.
 */
import { Commands, type PickRaceParams, type RunRaceParams } from './protocol.js';

export interface RunLens {
  line: number;
  title: string;
  params: RunRaceParams;
}

/** A lens as the editor hands it back: its line and its command. */
export interface LensLike {
  line: number;
  command?: { title: string; command: string; arguments?: unknown[] };
}

/** Every run the lenses offer, in line order, the most relevant first on each line. */
export function lensRuns(lenses: readonly LensLike[]): RunLens[] {
  return lenses.flatMap((l): RunLens[] => {
    const arg = l.command?.arguments?.[0];
    if (!arg) return [];
    if (l.command!.command === Commands.runRace) return [{ line: l.line, title: l.command!.title, params: arg as RunRaceParams }];
    if (l.command!.command === Commands.pickRace) return (arg as PickRaceParams).choices.map((c) => ({ line: l.line, title: c.label, params: c.params }));
    return [];
  }).sort((a, b) => a.line - b.line);
}

/** Each race (with its era and filesystem) once. */
export function onePerRace(runs: readonly RunLens[]): RunLens[] {
  const seen = new Set<string>();
  return runs.filter((l) => {
    const key = `${l.params.scenario}\u0000${l.params.era ?? ''}\u0000${l.params.fs ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
