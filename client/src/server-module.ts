/**
 * Where the language server is: the esbuild bundle in a packaged extension, the tsc
 * output in a checkout. The bundle is forked over IPC; in a checkout the CLI's
 * `racelens lsp` starts the same server (the connection reads its transport from the
 * `--node-ipc` argument the client adds).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ServerModule {
  module: string;
  args: string[];
}

export function findServerModule(extensionRoot: string): ServerModule {
  const bundled = path.join(extensionRoot, 'dist', 'server.js');
  if (fs.existsSync(bundled)) return { module: bundled, args: [] };
  const entry = path.join(extensionRoot, 'server', 'out', 'lsp', 'ipc-main.js');
  if (fs.existsSync(entry)) return { module: entry, args: [] };
  throw new Error(`racelens: no language server under ${extensionRoot} (looked for dist/server.js and server/out/lsp/ipc-main.js; run npm run build)`);
}
