/**
 * describeFunction: the races a function takes part in come from what the scenario
 * library's runs reach, each with its history line (year, what broke, the fixing commit
 * and version); the body is the era's built-in model or the lifted source with its
 * notes; markdown never lets text from a source file become a link, HTML or a command.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeFunction, describeMarkdown, describeText, escapeMarkdown, racesOf } from 'racelens-server/out/describe/index.js';
import { Workspace } from 'racelens-server/out/workspace/workspace.js';

const temporary: string[] = [];
after(() => { for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true }); });

/** Markdown's backslash escapes removed: the text a reader sees. */
function unescape(md: string): string {
  return md.replace(/\\(.)/g, '$1');
}

function raceNames(name: string, era = '6.1'): string[] {
  return describeFunction(name, era).races.map((r) => r.scenario);
}

describe('races per function, from the scenario library', () => {
  for (const [name, era] of [['clear_page_dirty_for_io', '2.6.20'], ['folio_clear_dirty_for_io', '6.1']] as const) {
    it(`${name} names mmap-dirty-lost, fixed by 7658cc289288 in 2.6.20`, () => {
      const d = describeFunction(name, era);
      const race = d.races.find((r) => r.scenario === 'mmap-dirty-lost');
      assert.ok(race, `mmap-dirty-lost among ${d.races.map((r) => r.scenario).join(', ')}`);
      assert.deepEqual(race.fixedBy, [{ commit: '7658cc289288', version: '2.6.20' }]);
      assert.equal(race.year, 2006);
      assert.match(race.broke ?? '', /PTE/);
      assert.deepEqual(race.eras, ['2.6.19', '2.6.20', '6.1']);
      assert.equal(race.uri, 'racelens-builtin:/scenarios/mmap-dirty-lost.race');
      assert.deepEqual(race.from, ['000_29cfa1e3f369245f.txt', '001_00610878de56fb74.txt']);
      assert.match(describeText(d), /\[seed 000, 001\]/);
      for (const text of [describeText(d), unescape(describeMarkdown(d))]) {
        assert.match(text, /mmap-dirty-lost \(2006\)/);
        assert.match(text, /7658cc289288/);
        assert.match(text, /fixed by 7658cc289288 in 2\.6\.20/);
      }
      const other = name === 'clear_page_dirty_for_io' ? 'folio_clear_dirty_for_io' : 'clear_page_dirty_for_io';
      assert.deepEqual(d.otherNames.map((o) => o.name), [other]);
    });
  }

  it('wait_on_page_writeback names writeback-stale-wake and truncate-vs-writeback (and the three the hand list missed)', () => {
    const names = raceNames('wait_on_page_writeback');
    for (const r of ['writeback-stale-wake', 'truncate-vs-writeback', 'mmap-dirty-lost', 'dio-mmap-uptodate', 'reclaim-writepage-refused']) {
      assert.ok(names.includes(r), `${r} in ${names.join(', ')}`);
    }
    const stale = describeFunction('folio_wait_writeback', '6.1').races.find((r) => r.scenario === 'writeback-stale-wake')!;
    assert.deepEqual(stale.fixedBy, [{ commit: 'c2407cf7d22d', version: '5.11' }]);
    assert.equal(stale.year, 2021);
  });

  it('write_one_page takes part in no built-in race (the hand list said mmap-dirty-lost)', () => {
    assert.deepEqual(raceNames('write_one_page'), []);
    assert.match(describeText(describeFunction('write_one_page', '6.1')), /Races: none of the built-in scenarios reaches it/);
  });

  it('functions only one scenario calls name only that scenario', () => {
    assert.deepEqual(raceNames('truncate_inode_page'), ['truncate-vs-writeback']);
    assert.deepEqual(raceNames('generic_file_direct_IO', '2.6.11'), ['dio-mmap-uptodate']);
    // invalidation takes part in two: O_DIRECT's and the fault's
    assert.deepEqual(raceNames('invalidate_inode_pages2', '2.6.11'), ['dio-mmap-uptodate', 'fault-vs-invalidate']);
    assert.deepEqual(raceNames('redirty_page_for_writepage', '2.6.34'), ['reclaim-writepage-refused']);
    // primitives too: page_mkclean is reached by every run that cleans a page for I/O
    assert.ok(racesOf('folio_mkclean').some((r) => r.scenario.name === 'mmap-dirty-lost'));
  });
});

describe('the body that runs', () => {
  it('a built-in model: era, file, line, and its program when asked', () => {
    const d = describeFunction('clear_page_dirty_for_io', '2.6.19');
    assert.equal(d.body.kind, 'builtin');
    if (d.body.kind !== 'builtin') return;
    assert.equal(d.body.at.uri, 'racelens-builtin:/models/2.6.19/page-writeback.c');
    assert.equal(d.body.at.file, undefined);
    const full = describeText(d, { program: true });
    assert.match(full, /built-in model, era 2\.6\.19/);
    const text = full.slice(full.search(/^clear_page_dirty_for_io\(page\)/m));
    assert.ok(text.indexOf('TestClearPageDirty(page)') < text.indexOf('page_mkclean(page)'), 'the 2.6.19 order');
  });

  it('a primitive and a no-op say what they are', () => {
    assert.equal(describeFunction('folio_mkclean', '6.1').body.kind, 'primitive');
    assert.match(describeText(describeFunction('folio_mkclean', '6.1')), /simulator primitive/);
    assert.equal(describeFunction('no_such_function_anywhere', '6.1').body.kind, 'unknown');
  });

  it('lifted from source (an overlay), with notes and assumptions, and escaped in markdown', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-describe-test-'));
    temporary.push(dir);
    const file = path.join(dir, 'pagemap.c');
    fs.writeFileSync(file, '/* placeholder */\n');
    const ws = new Workspace([dir]);
    const body = (extra: string) => [
      'void wait_on_page_writeback(struct page *page)',
      '{',
      '\tif (PageWriteback(page))',
      '\t\twait_on_page_bit(page, PG_writeback);',
      '\tsome_unknown_helper_evil(page, "[click](command:workbench.action.quit) <img src=x onerror=alert(1)>");',
      extra,
      '}',
      '',
    ].join('\n');
    ws.setOverlay(file, body(''), 3);
    const d = describeFunction('wait_on_page_writeback', '5.10', { sources: [dir], workspace: ws });
    assert.equal(d.body.kind, 'lifted');
    if (d.body.kind !== 'lifted') return;
    assert.equal(d.body.at.file, file);
    assert.equal(d.body.at.line, 1);
    assert.ok(d.body.assumptions.some((a) => a.kind === 'unknown-call' && /some_unknown_helper_evil/.test(a.message) && a.at?.line === 5),
      JSON.stringify(d.body.assumptions));
    const md = describeMarkdown(d, { program: true });
    assert.match(md, /lifted from source/);
    assert.match(md, /some\\_unknown\\_helper\\_evil/);
    // text from the file inside the program listing sits in a fenced block
    assert.doesNotMatch(md.replace(/^(`{3,})text\n[\s\S]*?\n\1$/m, ''), /\]\(command:|<img/);

    // a body the lifter cannot use: the reason quotes the source, escaped
    ws.setOverlay(file, body('\t[hi](command:evil)<img src=x>;'), 4);
    const fallback = describeFunction('wait_on_page_writeback', '5.10', { sources: [dir], workspace: ws });
    assert.equal(fallback.body.kind, 'builtin');
    if (fallback.body.kind !== 'builtin') return;
    assert.match(fallback.body.fallback ?? '', /\[hi\]/, 'the reason quotes the source');
    const md2 = describeMarkdown(fallback);
    assert.match(md2, /not used/);
    assert.doesNotMatch(md2, /\]\(command:|<img|(^|[^\\])\[hi/);
  });

  it('escapeMarkdown leaves nothing a renderer would turn into a link or a tag', () => {
    const e = escapeMarkdown('[a](command:x) <b>&amp; https://example.com www.example.com a@b.c `x`');
    assert.doesNotMatch(e, /(^|[^\\])[[\]<>&`]/);
    assert.doesNotMatch(e, /https:\/\//);
    assert.doesNotMatch(e, /www\.example/);
  });
});
