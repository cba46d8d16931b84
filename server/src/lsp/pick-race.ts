/**
 * `racelens.pickRace` for any LSP client: the lens above a function with several races
 * asks which one to run with `window/showMessageRequest` (one action per race, the most
 * relevant first) and runs the one chosen. The VS Code client answers the same command
 * with a quick pick of its own and never sends it here.
 */
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import type { PickRaceParams, RunRaceParams, RunResultJson } from './protocol.js';

export async function pickRace(connection: Connection, params: PickRaceParams, run: (p: RunRaceParams) => Promise<RunResultJson | ResponseError<void>>): Promise<RunResultJson | ResponseError<void> | null> {
  if (!params || !Array.isArray(params.choices) || !params.choices.length) {
    return new ResponseError(ErrorCodes.InvalidParams, 'racelens.pickRace takes [{uri, function, choices: [{label, params}]}]');
  }
  const chosen = params.choices.length === 1
    ? params.choices[0]
    : await connection.window.showInformationMessage(`Races of ${params.function}:`, ...params.choices.map((c) => ({ title: c.label })))
      .then((a) => params.choices.find((c) => c.label === a?.title), () => undefined);
  return chosen ? run(chosen.params) : null;
}
