/**
 * The extension's side of the timing trace the language server keeps (server/src/lsp/trace.ts):
 * with RACELENS_LSP_TRACE set, events of the client are appended to the same file, one
 * JSON line each with wall-clock milliseconds. Off when the variable is unset.
 */
import * as fs from 'node:fs';

const file = process.env.RACELENS_LSP_TRACE;

export function clientTrace(name: string, data: Record<string, unknown> = {}): void {
  if (!file) return;
  try {
    fs.appendFileSync(file, JSON.stringify({ t: performance.timeOrigin + performance.now(), name: `client:${name}`, ...data }) + '\n');
  } catch { /* a trace that cannot be written is no reason to fail */ }
}
