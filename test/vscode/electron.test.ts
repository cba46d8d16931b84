/**
 * Runs the @vscode/test-electron suite (test/vscode-electron). It downloads VS Code;
 * where the download is impossible the suite reports itself skipped, with the reason,
 * rather than passing.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const RUNNER = path.resolve(__dirname, '..', '..', 'vscode-electron', 'out', 'run.js');
const SKIP_EXIT = 77;

it('@vscode/test-electron suite: hover, lens, fix in a downloaded VS Code', { timeout: 15 * 60_000 }, (t) => {
  const r = spawnSync(process.execPath, [RUNNER], { encoding: 'utf8', timeout: 14 * 60_000 });
  if (r.status === SKIP_EXIT) return t.skip(r.stdout.trim());
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
});
