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
