/**
 * Where the language server is: `server/bin/racelens.js lsp` under the extension root,
 * the same path in a checkout (tsc output behind it) and in the packaged extension
 * (esbuild bundles behind it). The client forks it with Node and speaks LSP over its
 * stdin/stdout: `racelens lsp --stdio` is the server's one transport, the one every
 * other editor uses too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ServerModule {
  module: string;
  /** the client appends `--stdio` */
  args: string[];
}

export function findServerModule(extensionRoot: string): ServerModule {
  const cli = path.join(extensionRoot, 'server', 'bin', 'racelens.js');
  const main = path.join(extensionRoot, 'server', 'out', 'cli', 'main.js');
  if (!fs.existsSync(cli) || !fs.existsSync(main)) {
    throw new Error(`racelens: no language server under ${extensionRoot} (looked for server/bin/racelens.js and server/out/cli/main.js; run npm run build)`);
  }
  return { module: cli, args: ['lsp'] };
}
