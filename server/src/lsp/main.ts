/** The server's entry: an LSP connection over stdin/stdout and the server bound to it. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { RacelensServer } from './server.js';

export function startServer(): Promise<never> {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  // stdout is the protocol's: anything printed there by accident would corrupt it
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  process.on('uncaughtException', (err) => connection.console.error(`racelens: uncaught ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => connection.console.error(`racelens: unhandled ${String(err)}`));
  new RacelensServer(connection).register();
  connection.listen();
  return new Promise<never>(() => undefined);
}
