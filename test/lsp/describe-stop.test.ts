/**
 * The description worker ends between two lifts. Terminating a thread inside
 * tree-sitter aborts the whole process (Napi::Error, exit by SIGABRT), which once
 * turned a language server's clean shutdown into a crash in CI. Run in a child process,
 * since the failure is an abort of the process itself.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CPDFIO_2619, ROOT } from './fixtures.js';

it('stopping the description worker mid-way leaves between two items, and the process exits 0', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-describe-stop-'));
  try {
    // a file big enough that each lift parses for a while: the stop lands inside one
    const filler = Array.from({ length: 6000 }, (_, i) => `static int filler_${i}(struct page *page)\n{\n\tif (PageDirty(page))\n\t\treturn ${i};\n\treturn 0;\n}\n`).join('\n');
    const file = path.join(dir, 'page-writeback.c');
    fs.writeFileSync(file, `${CPDFIO_2619}\n${filler}`);
    const out = path.join(ROOT, 'server', 'out');
    const script = `
      const { DescribedBodies } = require(${JSON.stringify(path.join(out, 'lsp', 'described-bodies.js'))});
      const b = new DescribedBodies((m) => console.error(m));
      const items = Array.from({ length: 40 }, (_, i) => ({ key: 'k' + i, name: 'clear_page_dirty_for_io', sources: [${JSON.stringify(file)}] }));
      b.prepare('2.6.19', items, []);
      setTimeout(async () => {
        await b.stop();
        console.log(JSON.stringify({ answered: b.answered, items: items.length }));
      }, 300);`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.status, 0, r.stderr);
    const { answered, items } = JSON.parse(r.stdout.trim().split('\n').pop()!) as { answered: number; items: number };
    assert.ok(answered < items, `the worker stopped before its job's end (${answered} of ${items} answered)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
