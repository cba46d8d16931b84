/**
 * A third-party client: headless Neovim (Debian's `neovim`) starts `racelens lsp
 * --stdio` for a C fixture and asks for the hover on clear_page_dirty_for_io, then runs
 * its race, edits its body and gets `racelens/staleFunctions`. Skipped, with the reason,
 * when nvim is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, CPDFIO_2620, ROOT, tempWorkspace } from './fixtures.js';
import { positionOf } from './session.js';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const missing = nvim.error || nvim.status !== 0 ? 'nvim is not installed (apt-get install -y neovim)' : undefined;

test('headless Neovim attaches racelens lsp --stdio, gets the race hover, and after a run and an edit the stale functions', { skip: missing }, () => {
  const ws = tempWorkspace();
  const cache = tempWorkspace('racelens-lsp-cache-');
  try {
    const file = ws.write('mm/page-writeback.c', CPDFIO_2620);
    const out = path.join(ws.dir, 'hover.md');
    const staleOut = path.join(ws.dir, 'stale.json');
    const at = positionOf(CPDFIO_2620, 'clear_page_dirty_for_io(struct', 0, 4);
    const r = spawnSync('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${path.join(ROOT, 'test', 'fixtures', 'lsp', 'neovim-hover.lua')}`], {
      encoding: 'utf8', timeout: 180_000, cwd: ws.dir,
      env: {
        ...process.env, RACELENS_CLI: CLI, RACELENS_FILE: file, RACELENS_ROOT: ws.dir, RACELENS_OUT: out, RACELENS_STALE_OUT: staleOut,
        RACELENS_LINE: String(at.line), RACELENS_COL: String(at.character), RACELENS_LIFT_CACHE: cache.dir,
        XDG_CONFIG_HOME: ws.dir, XDG_DATA_HOME: ws.dir, XDG_STATE_HOME: ws.dir,
      },
    });
    assert.ok(fs.existsSync(out), `nvim wrote no answer (exit ${r.status}, signal ${r.signal}): ${r.stderr}${r.stdout}`);
    const hover = fs.readFileSync(out, 'utf8').replace(/\\(.)/g, '$1');
    assert.doesNotMatch(hover, /^ERROR/, hover);
    assert.match(hover, /^\*\*clear_page_dirty_for_io\*\* · `mm\/page-writeback\.c` · modeled step by step/);
    assert.match(hover, /- mmap-dirty-lost \(2006\)/);
    // the run's verdict went stale with the edit: the function's line and the race, as VS Code gets them
    const stale = fs.readFileSync(staleOut, 'utf8');
    assert.doesNotMatch(stale, /^ERROR/, stale);
    const marks = JSON.parse(stale) as { uri: string; version: number; functions: { name: string; line: number; races: string[] }[] };
    assert.deepEqual(marks.functions.map((f) => [f.name, f.line, f.races]), [['clear_page_dirty_for_io', 4, ['mmap-dirty-lost']]]);
    assert.ok(marks.uri.endsWith('/mm/page-writeback.c') && marks.version > 0, JSON.stringify(marks));
  } finally {
    ws.remove();
    cache.remove();
  }
});
