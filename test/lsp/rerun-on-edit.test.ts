/**
 * The re-run after an edit, in this process with a run that only records what it was
 * asked: one run per stale race after the pause, a new edit cancels the run in flight and
 * puts it back, the setting off runs nothing. And the background work of the server's
 * main thread waits for a quiet spell between requests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RerunOnEdit } from 'racelens-server/out/lsp/rerun-on-edit.js';
import { BackgroundWork } from 'racelens-server/out/lsp/background-work.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function recorder(runMs: number): { calls: { scenario: string; aborted: boolean }[]; run: (p: { scenario: string }, s: AbortSignal) => Promise<void> } {
  const calls: { scenario: string; aborted: boolean }[] = [];
  return {
    calls,
    run: async (p, signal) => {
      const call = { scenario: p.scenario, aborted: false };
      calls.push(call);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, runMs);
        signal.addEventListener('abort', () => { clearTimeout(t); call.aborted = true; resolve(); }, { once: true });
      });
    },
  };
}

test('after the pause each stale race runs once; a burst of edits waits for the last', async () => {
  const r = recorder(10);
  const rerun = new RerunOnEdit(r.run, 100);
  rerun.edited([{ key: 'a', params: { scenario: 'a' } }], true);
  await sleep(50);
  rerun.edited([{ key: 'a', params: { scenario: 'a' } }, { key: 'b', params: { scenario: 'b' } }], true);
  await sleep(60);
  assert.equal(r.calls.length, 0, 'nothing runs while the user types');
  await sleep(150);
  assert.deepEqual(r.calls.map((c) => c.scenario), ['a', 'b']);
  rerun.dispose();
});

test('an edit during a re-run cancels it and runs it again after the next pause; runs started before the edit are cancelled', async () => {
  const r = recorder(300);
  const rerun = new RerunOnEdit(r.run, 50);
  const userRun = { abort: new AbortController(), startedAt: Date.now() - 1000 };
  rerun.inFlight.add(userRun);
  rerun.edited([{ key: 'a', params: { scenario: 'a' } }], true);
  await sleep(120);
  assert.equal(userRun.abort.signal.aborted, true, 'the run that read the old text is cancelled');
  assert.deepEqual(r.calls.map((c) => c.scenario), ['a']);
  rerun.edited([], true);
  await sleep(10);
  assert.equal(r.calls[0].aborted, true, 'the re-run in flight is cancelled by the next edit');
  await sleep(150);
  assert.deepEqual(r.calls.map((c) => c.scenario), ['a', 'a'], 'and runs again against the newer text');
  rerun.dispose();
});

test('with racelens.rerunOnEdit off nothing runs', async () => {
  const r = recorder(10);
  const rerun = new RerunOnEdit(r.run, 20);
  rerun.edited([{ key: 'a', params: { scenario: 'a' } }], false);
  await sleep(80);
  assert.equal(r.calls.length, 0);
  rerun.dispose();
});

test('background work waits for a quiet spell: while requests keep coming it does not go on', async () => {
  const work = new BackgroundWork();
  let went = 0;
  const until = Date.now() + 800;
  work.busy();
  void work.quiet().then(() => { went = Date.now(); });
  while (Date.now() < until) {
    work.busy();
    await sleep(20);
  }
  assert.equal(went, 0, 'no background work while requests keep coming');
  await sleep(400);
  assert.ok(went >= until, 'it goes on once they stop');
});
