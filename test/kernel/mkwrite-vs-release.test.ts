/**
 * mkwrite-vs-release (b827e496c893, 2.6.30) and the write fault from source (issue 16,
 * item 1). Built-in eras: 2.6.29's block_page_mkwrite() returns the page unlocked and
 * do_wp_page() dirties it after the PTE lock is dropped, so writeback and
 * try_to_release_page() strip the buffers in between (dirty-without-buffers); 2.6.30
 * keeps it locked (holds); 6.1's built-in fault path holds. On the real trees (skipped
 * without them) the fault is the tree's do_wp_page → wp_page_shared → do_page_mkwrite →
 * finish_mkwrite_fault → fault_dirty_shared_page: mkwrite-vs-release and
 * mmap-dirty-lost hold on 6.1 and 6.12, and a copy of 6.1's mm/memory.c with
 * b827e496c893 reverted (the page unlocked before the PTE is made writable and the page
 * dirtied) violates dirty-without-buffers and sync-durability.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunResult } from 'racelens-server/out/scenario/index.js';
import { findStep, runBuiltin } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree } from './tree.js';
import { runOnTree as runTree } from './run-on-tree.js';

describe('mkwrite-vs-release on the built-in eras', () => {
  it('2.6.29: the buffers block_page_mkwrite attached are stripped before the fault dirties the page', () => {
    const r = runBuiltin('mkwrite-vs-release', '2.6.29');
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(r.invariant, 'dirty-without-buffers');
    assert.match(r.message ?? '', /page P of F \(a buffer-backed mapping\) is dirty with no buffers attached/);
    const trace = r.trace ?? [];
    const mkwriteUnlock = findStep(trace, { cpu: 'P0', function: 'block_page_mkwrite', op: /^unlock_page\(P\)/ });
    // try_to_free_buffers() is C now: its strip is drop_buffers() detaching the ring
    const strip = findStep(trace, { cpu: 'P2', op: /^detach_page_private\(P\)/ });
    const noBuffers = findStep(trace, { cpu: 'P0', op: /^page_has_buffers\(P\) = 0/ });
    assert.ok(mkwriteUnlock >= 0 && strip > mkwriteUnlock && noBuffers > strip, JSON.stringify(trace.map((t) => `${t.cpu} ${t.function} ${t.op}`)));
  });

  it('2.6.30: page_mkwrite returns the page locked and the race holds', () => {
    assert.equal(runBuiltin('mkwrite-vs-release', '2.6.30').verdict, 'holds');
  });

  it('6.1 (built-in fault path on struct vm_fault): holds', () => {
    const r = runBuiltin('mkwrite-vs-release', '6.1');
    assert.equal(r.verdict, 'holds', r.message);
    assert.equal(r.models.find((m) => m.function === 'fault_dirty_shared_page')?.from, 'builtin');
  });

  it('mmap-dirty-lost keeps its 2.6.20 sync-durability violation and holds on 6.1 through the vm_fault path', () => {
    const old = runBuiltin('mmap-dirty-lost', '2.6.20');
    assert.equal(old.verdict, 'violated');
    assert.equal(old.invariant, 'sync-durability');
    const r = runBuiltin('mmap-dirty-lost', '6.1');
    assert.equal(r.verdict, 'holds', r.message);
    for (const fn of ['do_wp_page', 'wp_page_shared', 'do_page_mkwrite', 'finish_mkwrite_fault', 'fault_dirty_shared_page', 'ext4_page_mkwrite']) {
      assert.ok(r.models.some((m) => m.function === fn), `${fn} runs`);
    }
  });
});

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-mkw-'));

function runOnTree(scenario: string, tree: string, extra: string[] = []): RunResult {
  return runTree(scenario, tree, CACHE, extra);
}

const FAULT_PATH = ['do_wp_page', 'wp_page_shared', 'do_page_mkwrite', 'finish_mkwrite_fault', 'wp_page_reuse', 'fault_dirty_shared_page'];

/** b827e496c893 reverted: the page ->page_mkwrite returned locked is unlocked before the PTE is made writable, and dirtied unlocked. */
const REVERT: [string, string][] = [
  ['\tmapping = page_rmapping(page);\n\tunlock_page(page);\n', '\tmapping = page_rmapping(page);\n'],
  ['\t\ttmp = finish_mkwrite_fault(vmf);\n\t\tif (unlikely(tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))) {\n\t\t\tunlock_page(vmf->page);\n',
    '\t\tunlock_page(vmf->page);\n\t\ttmp = finish_mkwrite_fault(vmf);\n\t\tif (unlikely(tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))) {\n'],
  ['\t\twp_page_reuse(vmf);\n\t\tlock_page(vmf->page);\n', '\t\twp_page_reuse(vmf);\n'],
];

function reverted(tree: string): string {
  let text = fs.readFileSync(path.join(tree, 'mm/memory.c'), 'utf8');
  for (const [from, to] of REVERT) {
    assert.ok(text.includes(from), `the edit applies to mm/memory.c: ${JSON.stringify(from.slice(0, 40))}`);
    text = text.replace(from, to);
  }
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-mkw-edit-')), 'memory.c');
  fs.writeFileSync(out, text);
  return out;
}

for (const release of ['6.1', '6.12']) {
  const tree = findKernelTree(release);
  const why = skipWithoutTree(tree, `the write fault from the real ${release} tree`, release);
  describe(`the write fault from the real ${release} tree`, { skip: why }, () => {
    afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

    for (const scenario of ['mkwrite-vs-release', 'mmap-dirty-lost']) {
      it(`${scenario} holds with the tree's do_wp_page path`, () => {
        const r = runOnTree(scenario, tree!);
        assert.equal(r.verdict, 'holds', r.message);
        for (const fn of FAULT_PATH) assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${fn} from source`);
        // the fault entry is the tree's too (read-fault.test.ts): the page-table walk runs over one-entry levels
        assert.equal(r.models.find((m) => m.function === 'handle_mm_fault')?.from, 'source');
      });
    }

    if (release === '6.1') {
      it('b827e496c893 reverted in a copy of mm/memory.c: dirty-without-buffers and sync-durability', () => {
        const copy = reverted(tree!);
        const a = runOnTree('mkwrite-vs-release', tree!, [copy]);
        assert.equal(a.verdict, 'violated', a.message);
        assert.equal(a.invariant, 'dirty-without-buffers');
        const b = runOnTree('mmap-dirty-lost', tree!, [copy]);
        assert.equal(b.verdict, 'violated', b.message);
        assert.equal(b.invariant, 'sync-durability');
        assert.equal(path.resolve(b.models.find((m) => m.function === 'fault_dirty_shared_page')?.file ?? ''), copy);
      });

      it('a sentinel BUG() in each function of the tree\'s write fault fires', () => {
        const text = fs.readFileSync(path.join(tree!, 'mm/memory.c'), 'utf8');
        for (const fn of FAULT_PATH) {
          // a BUG() as the body's first statement
          const def = new RegExp(`\\n((?:static (?:inline )?)?(?:vm_fault_t|void) ${fn}\\(struct vm_fault \\*vmf\\)\\n(?:\\t__releases\\(vmf->ptl\\)\\n)?\\{\\n)`);
          assert.match(text, def, `${fn} is defined in mm/memory.c`);
          const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-mkw-bug-')), 'memory.c');
          fs.writeFileSync(copy, text.replace(def, '\n$1\tBUG();\n'));
          const r = runOnTree('mmap-dirty-lost', tree!, [copy]);
          assert.equal(r.verdict, 'violated', `${fn}: ${r.message}`);
          assert.equal(r.invariant, 'bug-on');
          assert.match(r.message ?? '', new RegExp(`BUG\\(\\) fired in ${fn}`));
        }
      });
    }
  });
}
