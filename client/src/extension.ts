/** Entry point: starts the client and wires its parts; everything else lives in modules. */
import type * as vscode from 'vscode';
import { DiffLensOffer } from './diff-lens-offer.js';
import { RacelensClient } from './racelens-client.js';

let instance: RacelensClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<RacelensClient> {
  instance = new RacelensClient(context.extensionUri.fsPath);
  context.subscriptions.push(instance, new DiffLensOffer(context.globalState));
  await instance.start();
  return instance;
}

export async function deactivate(): Promise<void> {
  await instance?.stop();
}
