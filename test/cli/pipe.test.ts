/**
 * `racelens run | head`: a reader that stops early ends the run quietly, without a
 * stack trace on stderr.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CLI } from './helpers.js';

describe('a closed pipe', () => {
  it('stops the run without an error', async () => {
    const child = spawn(process.execPath, [CLI, 'run'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const firstLine = await new Promise<string>((resolve) => {
      child.stdout.once('data', (d: Buffer) => resolve(d.toString().split('\n')[0]!));
    });
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.match(firstLine, /^scenario\s+era\s+verdict/);
    assert.doesNotMatch(stderr, /EPIPE|Error|\n\s+at /, stderr);
    assert.notEqual(code, null, 'exited rather than killed');
  });
});
