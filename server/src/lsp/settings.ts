/** The `racelens.*` settings of one document, asked of the client each time (never kept). */
import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, type RacelensSettings } from './protocol.js';

export async function settingsFor(connection: Connection, uri: string | undefined, clientHasConfiguration: boolean): Promise<RacelensSettings> {
  if (!clientHasConfiguration) return { ...DEFAULT_SETTINGS };
  try {
    const got: unknown = await connection.workspace.getConfiguration({ ...(uri ? { scopeUri: uri } : {}), section: 'racelens' });
    return merge(got);
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

function merge(got: unknown): RacelensSettings {
  const s: RacelensSettings = { ...DEFAULT_SETTINGS };
  if (!got || typeof got !== 'object') return s;
  const g = got as Record<string, unknown>;
  if (Array.isArray(g.indexRoots) && g.indexRoots.every((x) => typeof x === 'string')) s.indexRoots = g.indexRoots as string[];
  for (const k of ['defaultEra', 'config'] as const) if (typeof g[k] === 'string') s[k] = g[k] as string;
  for (const k of ['maxExecutions', 'maxStates', 'timeLimitMs', 'maxMemoryMb'] as const) {
    const v = g[k];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) s[k] = v;
  }
  if (typeof g.codeLens === 'boolean') s.codeLens = g.codeLens;
  if (typeof g.rerunOnEdit === 'boolean') s.rerunOnEdit = g.rerunOnEdit;
  return s;
}

/**
 * Settings for the request paths that must not wait on the client (hover, lenses): asked
 * once per document, then kept until the client says the configuration changed. Runs
 * still ask each time.
 */
export class SettingsCache {
  private readonly byUri = new Map<string, Promise<RacelensSettings>>();
  /** the answers that have come, for paths that cannot wait even a turn of the event loop */
  private readonly known = new Map<string, RacelensSettings>();

  constructor(private readonly connection: Connection, private readonly clientHasConfiguration: () => boolean) {}

  get(uri: string): Promise<RacelensSettings> {
    let s = this.byUri.get(uri);
    if (!s) {
      const asked = settingsFor(this.connection, uri, this.clientHasConfiguration());
      s = asked;
      if (this.byUri.size > 500) {
        this.byUri.clear();
        this.known.clear();
      }
      this.byUri.set(uri, s);
      void s.then((got) => {
        if (this.byUri.get(uri) === asked) this.known.set(uri, got);
      });
    }
    return s;
  }

  /** The settings of `uri` when the client has answered already. */
  peek(uri: string): RacelensSettings | undefined {
    return this.known.get(uri);
  }

  clear(uri?: string): void {
    if (uri) {
      this.byUri.delete(uri);
      this.known.delete(uri);
    } else {
      this.byUri.clear();
      this.known.clear();
    }
  }
}
