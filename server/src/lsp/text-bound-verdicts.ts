/**
 * The server's side of verdicts tied to the text they ran on: a run is tracked from the
 * versions of the open documents it started on to the bodies it followed; an edit to one
 * of those bodies makes its verdict stale at once (lenses refreshed, its diagnostic gone,
 * the client told with `racelens/verdictsStale`) and runs the race again after a pause;
 * one diagnostic per violation is published for every open C document.
 */
import type { Connection } from 'vscode-languageserver';
import { VerdictsStaleNotification, type RacelensSettings, type RunRaceParams, type RunResultJson, type VerdictsStaleParams } from './protocol.js';
import { isRaceDocument, type OpenDocument, type OpenDocuments } from './documents.js';
import { RaceVerdicts, reachedBodies, verdictKey, type RaceVerdict, type Snapshot } from './race-verdicts.js';
import { RerunOnEdit, type RunInFlight } from './rerun-on-edit.js';
import { violationDiagnostics } from './violation-diagnostics.js';
import { builtinRaces } from './races.js';

export interface TextBoundOptions {
  connection: Connection;
  docs: OpenDocuments;
  /** the document a run of `uri`'s lens adds to the workspace's sources ('' for none) */
  extraSource: (uri: string | undefined) => string;
  /** the settings of a document, asked of the client now */
  settings: (uri: string | undefined) => Promise<RacelensSettings>;
  /** runs a race again (a re-run after an edit), cancelled through `signal` */
  rerun: (params: RunRaceParams, signal: AbortSignal) => Promise<unknown>;
  refreshLenses: () => void;
  /** which verdicts are stale may have changed, or the lines of the functions showing them */
  staleChanged: () => void;
}

/**
 * After an edit the editor asks for the edited document's lenses by itself (VS Code
 * 250 ms after the last keystroke), and a `workspace/codeLens/refresh` that arrives
 * meanwhile starts that wait over; the refresh other documents need (a verdict shows in
 * the lenses of every function the race reaches) is sent once this wait is over.
 */
const REFRESH_AFTER_EDIT_MS = 400;

export class TextBoundVerdicts {
  private readonly verdicts = new RaceVerdicts();
  private readonly reruns: RerunOnEdit;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: TextBoundOptions) {
    this.reruns = new RerunOnEdit(o.rerun);
  }

  /** Whether any verdict is from before an edit. */
  anyStale(): boolean {
    return this.verdicts.all().some((v) => v.stale);
  }

  /** The verdict of a built-in race for a document's text. */
  get(scenario: string, era: string, fs: string | undefined, uri: string): RaceVerdict | undefined {
    return this.verdicts.get(verdictKey(scenario, era, fs, this.o.extraSource(uri)));
  }

  /** Runs `run` as one the next edit may cancel; records its verdict against the text it started on. */
  async track(params: RunRaceParams, abort: AbortController, run: () => Promise<RunResultJson>): Promise<RunResultJson> {
    const snapshot: Snapshot = new Map(this.o.docs.all().map((d) => [d.uri, d.doc.version]));
    const flight: RunInFlight = { abort, startedAt: Date.now() };
    this.reruns.inFlight.add(flight);
    try {
      const result = await run();
      this.record(params, result, snapshot);
      return result;
    } finally {
      this.reruns.inFlight.delete(flight);
    }
  }

  /** Sets `ranOn` on the result; keeps a built-in race's verdict (a cancelled run says nothing of the text). */
  private record(params: RunRaceParams, result: RunResultJson, snapshot: Snapshot): void {
    const { reached, ranOn, editedMeanwhile } = reachedBodies(result, (u) => {
      const o = this.o.docs.get(u);
      return o && !isRaceDocument(o) ? o : undefined;
    }, snapshot);
    result.ranOn = ranOn;
    if (!builtinRaces().has(params.scenario) || result.budgetHit === 'cancelled') return;
    const key = verdictKey(params.scenario, result.era, params.fs, this.o.extraSource(params.uri));
    const v: RaceVerdict = { key, params, result, ranOn, reached, stale: editedMeanwhile, staleIn: new Set(), editedMeanwhile };
    this.verdicts.set(v);
    this.o.staleChanged();
    this.publish();
    if (editedMeanwhile) void this.o.settings(params.uri).then((s) => this.reruns.edited([v], s.rerunOnEdit));
  }

  /** An edit to `d`: verdicts that followed a body it changed are stale at once, and run again after a pause. */
  edited(d: OpenDocument): void {
    const { touched, changed } = this.verdicts.edited(d);
    // first: the mark on screen is what the user waits for
    this.o.staleChanged();
    if (changed) {
      this.publish();
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => this.o.refreshLenses(), REFRESH_AFTER_EDIT_MS);
      const stale: VerdictsStaleParams['stale'] = this.verdicts.all().filter((v) => v.stale)
        .map((v) => ({ scenario: v.result.scenario, era: v.result.era, ...(v.params.fs ? { fs: v.params.fs } : {}), ranOn: v.ranOn }));
      void this.o.connection.sendNotification(VerdictsStaleNotification, { stale } satisfies VerdictsStaleParams);
    }
    if (touched.length) void this.o.settings(d.uri).then((s) => this.reruns.edited(touched, s.rerunOnEdit));
  }

  /** A closed document: the verdicts that read its text go, and its diagnostics. */
  closed(uri: string): void {
    this.verdicts.forget(uri);
    this.o.staleChanged();
    this.publish();
  }

  /** The run diagnostics of every open C document: one per violation of a verdict that matches the text on screen. */
  publish(): void {
    const docs = this.o.docs.all().filter((d) => !isRaceDocument(d));
    for (const [uri, diagnostics] of violationDiagnostics(this.verdicts.all(), docs)) void this.o.connection.sendDiagnostics({ uri, diagnostics });
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.reruns.dispose();
  }
}
