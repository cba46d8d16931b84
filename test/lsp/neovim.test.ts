/**
 * A third-party client: headless Neovim (Debian's `neovim`) starts `racelens lsp
 * --stdio` for a C fixture and asks for the hover on clear_page_dirty_for_io. Skipped,
 * with the reason, when nvim is not installed.
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

test('headless Neovim attaches racelens lsp --stdio and gets the race hover', { skip: missing }, () => {
  const ws = tempWorkspace();
  const cache = tempWorkspace('racelens-lsp-cache-');
  try {
    const file = ws.write('mm/page-writeback.c', CPDFIO_2620);
    const out = path.join(ws.dir, 'hover.md');
    const at = positionOf(CPDFIO_2620, 'clear_page_dirty_for_io(struct', 0, 4);
    const r = spawnSync('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${path.join(ROOT, 'test', 'fixtures', 'lsp', 'neovim-hover.lua')}`], {
      encoding: 'utf8', timeout: 90_000, cwd: ws.dir,
      env: {
        ...process.env, RACELENS_CLI: CLI, RACELENS_FILE: file, RACELENS_ROOT: ws.dir, RACELENS_OUT: out,
        RACELENS_LINE: String(at.line), RACELENS_COL: String(at.character), RACELENS_LIFT_CACHE: cache.dir,
        XDG_CONFIG_HOME: ws.dir, XDG_DATA_HOME: ws.dir, XDG_STATE_HOME: ws.dir,
      },
    });
    assert.ok(fs.existsSync(out), `nvim wrote no answer (exit ${r.status}, signal ${r.signal}): ${r.stderr}${r.stdout}`);
    const hover = fs.readFileSync(out, 'utf8').replace(/\\(.)/g, '$1');
    assert.doesNotMatch(hover, /^ERROR/, hover);
    assert.match(hover, /^\*\*clear_page_dirty_for_io\*\* · `mm\/page-writeback\.c` · modeled step by step/);
    assert.match(hover, /- mmap-dirty-lost \(2006\)/);
  } finally {
    ws.remove();
    cache.remove();
  }
});
