/**
 * Tells the client, per open C document, which functions' lenses show a verdict from
 * before an edit (`racelens/staleFunctions`), the moment an edit is seen: the editor's
 * own lens refresh follows at its pace (VS Code changes a lens's text no sooner than
 * 500 ms after an edit), the mark is what the user sees first. The same functions as the
 * lenses: those with a race whose verdict for the document is stale.
 */
import type { Connection } from 'vscode-languageserver';
import { StaleFunctionsNotification, type StaleFunctionsParams } from './protocol.js';
import { isRaceDocument, type OpenDocument, type OpenDocuments } from './documents.js';
import { catalogDefinitions } from './c-features.js';
import { racesByRelevance, type RaceInfo } from './races.js';
import type { RaceVerdict } from './race-verdicts.js';
import { trace } from './trace.js';

export interface StaleMarksOptions {
  connection: Connection;
  docs: OpenDocuments;
  /** the verdict a lens of `d` shows for `race` */
  verdictOf: (d: OpenDocument, race: RaceInfo) => RaceVerdict | undefined;
  /** whether any verdict is stale at all (no document needs looking at when none is) */
  anyStale: () => boolean;
}

export function staleFunctions(d: OpenDocument, verdictOf: (race: RaceInfo) => RaceVerdict | undefined): StaleFunctionsParams['functions'] {
  const out: StaleFunctionsParams['functions'] = [];
  // each race's verdict once per document, not once per function that lists it
  const stale = new Map<RaceInfo, boolean>();
  const isStale = (r: RaceInfo): boolean => {
    let s = stale.get(r);
    if (s === undefined) stale.set(r, (s = !!verdictOf(r)?.stale));
    return s;
  };
  for (const def of catalogDefinitions(d)) {
    const races = racesByRelevance(def.name).filter(isStale).map((r) => r.name);
    if (races.length) out.push({ name: def.name, line: def.line, column: def.column, endColumn: def.endColumn, races });
  }
  return out;
}

export class StaleMarks {
  /** what each document was last told, to send only changes */
  private readonly sent = new Map<string, string>();

  constructor(private readonly o: StaleMarksOptions) {}

  /** Works the marks out again for every open C document and sends those that changed. */
  update(): void {
    const anyStale = this.o.anyStale();
    if (!anyStale && this.sent.size === 0) return;
    for (const d of this.o.docs.all()) {
      if (isRaceDocument(d)) continue;
      const had = this.sent.get(d.uri);
      if (!anyStale && had === undefined) continue;
      const functions = anyStale ? staleFunctions(d, (r) => this.o.verdictOf(d, r)) : [];
      const key = JSON.stringify(functions);
      if (key === (had ?? '[]')) continue;
      if (functions.length) this.sent.set(d.uri, key);
      else this.sent.delete(d.uri);
      void this.o.connection.sendNotification(StaleFunctionsNotification, { uri: d.uri, version: d.doc.version, functions } satisfies StaleFunctionsParams);
      trace?.event('staleFunctions', { version: d.doc.version, functions: functions.length });
    }
  }

  /** A closed document is told nothing more. */
  forget(uri: string): void {
    this.sent.delete(uri);
  }
}
