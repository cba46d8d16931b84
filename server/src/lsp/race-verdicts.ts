/**
 * The latest run of each built-in race, tied to the text it ran on. A run's verdict does
 * not depend on which lens started it, only on the race, its era and the documents it
 * read, so one verdict serves every function lens, hover and diagnostic of those
 * documents. Each verdict keeps the text of every body it reached in an open document;
 * an edit that changes one of them makes it stale at once ("before your edit"), and a
 * stale verdict is never shown as the verdict of the text on screen.
 */
import type { RunRaceParams, RunResultJson } from './protocol.js';
import type { OpenDocument } from './documents.js';
import { documentDefinitions } from './c-features.js';

/** A body a run followed, in an open document, with its text when the run read it. */
export interface ReachedBody {
  uri: string;
  /** the definition's name in that document */
  fn: string;
  text: string;
}

export interface RaceVerdict {
  key: string;
  /** what to send to run it again */
  params: RunRaceParams;
  result: RunResultJson;
  ranOn: { uri: string; version: number }[];
  reached: ReachedBody[];
  /** the text on screen is not what the run read (`before your edit`) */
  stale: boolean;
  /** documents whose reached bodies differ now; an undo back to the run's text takes one off */
  staleIn: Set<string>;
  /** a document changed while the run read it: stale for good */
  editedMeanwhile: boolean;
}

/**
 * The verdict's key: race, era, filesystem and the one document a run adds to the
 * workspace's sources (an `untitled:` or `git:` side of a diff), '' when none.
 */
export function verdictKey(scenario: string, era: string, fs: string | undefined, extra: string): string {
  return `${scenario}\u0000${era}\u0000${fs ?? ''}\u0000${extra}`;
}

/** The text of each function defined in `d`, by name (the first definition of a name). */
export function bodyTexts(d: OpenDocument): Map<string, { text: string; startLine: number; endLine: number }> {
  const out = new Map<string, { text: string; startLine: number; endLine: number }>();
  for (const def of documentDefinitions(d)) {
    if (out.has(def.name)) continue;
    const text = d.doc.getText({ start: { line: def.startLine, character: 0 }, end: { line: def.endLine + 1, character: 0 } });
    out.set(def.name, { text, startLine: def.startLine, endLine: def.endLine });
  }
  return out;
}

/** What a run's text was when it started: the version of each open document. */
export type Snapshot = Map<string, number>;

/**
 * The bodies a run reached in open documents (its models lifted from them), with their
 * text now. A document edited while the run was going gives no text: the verdict is
 * stale as it arrives.
 */
export function reachedBodies(result: RunResultJson, open: (uri: string) => OpenDocument | undefined, snapshot: Snapshot): { reached: ReachedBody[]; ranOn: RaceVerdict['ranOn']; editedMeanwhile: boolean } {
  const reached: ReachedBody[] = [];
  const ranOn = new Map<string, number>();
  let editedMeanwhile = false;
  const texts = new Map<string, ReturnType<typeof bodyTexts>>();
  for (const m of result.models ?? []) {
    const uri = m.from === 'source' ? m.at?.uri : undefined;
    const d = uri ? open(uri) : undefined;
    if (!d || !m.at) continue;
    const version = snapshot.get(d.uri);
    if (version === undefined) continue;
    ranOn.set(d.uri, version);
    if (version !== d.doc.version) {
      editedMeanwhile = true;
      continue;
    }
    let t = texts.get(d.uri);
    if (!t) texts.set(d.uri, (t = bodyTexts(d)));
    const line = m.at.line - 1;
    for (const [fn, b] of t) {
      if (line >= b.startLine && line <= b.endLine) reached.push({ uri: d.uri, fn, text: b.text });
    }
  }
  return { reached, ranOn: [...ranOn].map(([uri, version]) => ({ uri, version })), editedMeanwhile };
}

export class RaceVerdicts {
  private readonly byKey = new Map<string, RaceVerdict>();

  set(v: RaceVerdict): void {
    this.byKey.set(v.key, v);
  }

  get(key: string): RaceVerdict | undefined {
    return this.byKey.get(key);
  }

  all(): RaceVerdict[] {
    return [...this.byKey.values()];
  }

  /**
   * `d` changed: every verdict that reached one of its bodies whose text is no longer
   * what the run read is stale, and one whose bodies read as the run read them again
   * (an undo) is not. Returns the stale ones this edit touched, and whether any verdict
   * changed state.
   */
  edited(d: OpenDocument): { touched: RaceVerdict[]; changed: boolean } {
    const touched: RaceVerdict[] = [];
    let changed = false;
    let now: ReturnType<typeof bodyTexts> | undefined;
    for (const v of this.byKey.values()) {
      const mine = v.reached.filter((b) => b.uri === d.uri);
      if (!mine.length) continue;
      now ??= bodyTexts(d);
      const was = v.stale;
      if (mine.every((b) => now!.get(b.fn)?.text === b.text)) {
        v.staleIn.delete(d.uri);
      } else {
        v.staleIn.add(d.uri);
        touched.push(v);
      }
      v.stale = v.editedMeanwhile || v.staleIn.size > 0;
      if (v.stale !== was) changed = true;
    }
    return { touched, changed };
  }

  /** A closed document: verdicts that read its text (the disk's may differ) go. */
  forget(uri: string): void {
    for (const [k, v] of this.byKey) if (k.endsWith(`\u0000${uri}`) || v.reached.some((b) => b.uri === uri)) this.byKey.delete(k);
  }
}
