/**
 * The kernel configuration deciding what is compiled: #if evaluation, .config parsing,
 * Makefile obj-$(CONFIG_X) lines, the release a tree says, and the choice among several
 * definitions. Fixtures are small kernel-style files written here, in temporary folders.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evalCondition } from 'racelens-server/out/lift/index.js';
import { parseConfig } from 'racelens-server/out/catalog/config.js';
import { evaluateMakefile, Kbuild } from 'racelens-server/out/catalog/kbuild.js';
import { eraForRelease, sourceEra, treeOf } from 'racelens-server/out/catalog/tree.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { cli } from '../cli/helpers.js';
import { tmpTree } from './tree.js';

const CONFIG = parseConfig([
  'CONFIG_64BIT=y', 'CONFIG_SMP=y', 'CONFIG_SWAP=y', 'CONFIG_SLUB=y', '# CONFIG_SLOB is not set',
  'CONFIG_EXT4_FS=m', 'CONFIG_NR_CPUS=64', '# CONFIG_KASAN is not set', 'CONFIG_MMU=y',
].join('\n'), 'test.config');


describe('#if evaluation under a configuration', () => {
  const cases: [string, boolean | undefined][] = [
    ['defined(CONFIG_SMP)', true],
    ['defined CONFIG_SLOB', false],
    ['!defined(CONFIG_SWAP)', false],
    ['IS_ENABLED(CONFIG_EXT4_FS)', true],
    ['IS_BUILTIN(CONFIG_EXT4_FS)', false],
    ['IS_MODULE(CONFIG_EXT4_FS)', true],
    ['defined(CONFIG_EXT4_FS)', false], // a module defines CONFIG_EXT4_FS_MODULE instead
    ['defined(CONFIG_EXT4_FS_MODULE)', true],
    ['BITS_PER_LONG==32 && defined(CONFIG_SMP)', false],
    ['BITS_PER_LONG == 64', true],
    ['CONFIG_NR_CPUS > 32', true],
    ['0', false],
    ['defined(ARCH_HAS_SOMETHING)', undefined],
    ['defined(ARCH_HAS_SOMETHING) && defined(CONFIG_SLOB)', false],
    ['defined(ARCH_HAS_SOMETHING) || defined(CONFIG_SMP)', true],
    ['CONFIG_NOT_SET_AT_ALL', false],
    ['__has_attribute(fallthrough)', undefined],
  ];
  for (const [cond, want] of cases) {
    it(`${cond} is ${want}`, () => assert.equal(evalCondition(cond, CONFIG), want));
  }
});

describe('Makefiles decide which files are built', () => {
  const mk = evaluateMakefile([
    'mmu-y := nommu.o',
    'mmu-$(CONFIG_MMU) := memory.o \\',
    '    rmap.o',
    'obj-y := filemap.o $(mmu-y)',
    'page-alloc-y := page_alloc.o',
    'obj-y += page-alloc.o',
    'obj-$(CONFIG_SLOB) += slob.o',
    'obj-$(CONFIG_SLUB) += slub.o',
    'obj-$(CONFIG_EXT4_FS) += ext4/',
    'ifdef CONFIG_SWAP',
    'obj-y += swapfile.o',
    'else',
    'obj-y += noswap.o',
    'endif',
  ].join('\n'), CONFIG);
  it('obj-y, obj-$(CONFIG_X)=y and =m, composite objects and variables are built', () => {
    for (const o of ['filemap.o', 'memory.o', 'rmap.o', 'page_alloc.o', 'slub.o', 'ext4/', 'swapfile.o']) assert.ok(mk.built.has(o), o);
  });
  it('an unset symbol, the other branch of ifdef and an overridden variable are not', () => {
    for (const o of ['slob.o', 'nommu.o', 'noswap.o']) assert.ok(!mk.built.has(o), o);
    assert.ok(mk.mentioned.has('slob.o'));
  });
  it('a tree: files and folders by their Makefiles, other architectures and tools left out', () => {
    const root = tmpTree({
      'Makefile': 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n',
      'include/linux/x.h': '', 'mm/Makefile': 'obj-y += slub.o\nobj-$(CONFIG_SLOB) += slob.o\n',
      'mm/slub.c': '', 'mm/slob.c': '', 'mm/included.c': '',
      'fs/Makefile': 'obj-$(CONFIG_EXT4_FS) += ext4/\nobj-$(CONFIG_EXT2_FS) += ext2/\n',
      'fs/ext2/inode.c': '', 'fs/ext4/inode.c': '', 'fs/ext4/Makefile': 'obj-$(CONFIG_EXT4_FS) += ext4.o\next4-y := inode.o\n',
      'arch/arm/include/asm/x.h': '', 'tools/a.c': '',
    });
    const k = new Kbuild(root, CONFIG);
    assert.equal(k.fileStatus(path.join(root, 'mm/slub.c')), 'built');
    assert.equal(k.fileStatus(path.join(root, 'mm/slob.c')), 'not-built');
    assert.equal(k.fileStatus(path.join(root, 'mm/included.c')), 'unlisted');
    // CONFIG_EXT4_FS=m: a module, reached only through the tables it registers
    assert.equal(k.fileStatus(path.join(root, 'fs/ext4/inode.c')), 'module');
    assert.equal(k.dirLink(path.join(root, 'fs/ext4')), 'module');
    assert.equal(k.dirLink(path.join(root, 'mm')), 'vmlinux');
    assert.equal(k.fileStatus(path.join(root, 'fs/ext2/inode.c')), 'not-built');
    assert.equal(k.dirBuilt(path.join(root, 'arch/arm')), false);
    assert.equal(k.dirBuilt(path.join(root, 'tools')), false);
    assert.equal(treeOf(path.join(root, 'mm'))?.release, '6.1');
  });
});

describe('what is linked into vmlinux and what is a module', () => {
  const root = tmpTree({
    'Makefile': 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n',
    'include/linux/fs.h': 'struct page;\n',
    'mm/Makefile': 'obj-y += filemap.o\nobj-$(CONFIG_ZSMALLOC) += zsmalloc.o\n',
    'mm/filemap.c': 'void mm_helper(struct page *page)\n{\n\tpage_wanted(page);\n}\n',
    'mm/zsmalloc.c': 'int zs_helper(void)\n{\n\treturn 0;\n}\n',
    'fs/Makefile': 'obj-$(CONFIG_EXT4_FS) += ext4/\n',
    'fs/ext4/Makefile': 'obj-$(CONFIG_EXT4_FS) += ext4.o\next4-y := inode.o\n',
    'fs/ext4/inode.c': 'int ext4_helper(void)\n{\n\treturn 1;\n}\n',
    'drivers/Makefile': 'obj-$(CONFIG_FOO) += foo/\nobj-y += base/\n',
    'drivers/base/Makefile': 'obj-y += core.o\n',
    'drivers/base/core.c': 'int base_helper(void)\n{\n\treturn 2;\n}\n',
    // a driver built as a module defining a name the core also calls
    'drivers/foo/Makefile': 'obj-$(CONFIG_FOO) += foo.o\n',
    'drivers/foo/foo.c': 'void page_wanted(struct page *page)\n{\n\tBUG();\n}\n',
    'drivers/foo/foo.h': 'static inline int foo_inline(void) { return 3; }\n',
    'arch/x86/Kbuild': 'obj-y += mm/\n',
    'arch/x86/boot/ctype.h': 'static inline int isdigit(int ch) { return 0; }\n',
    'arch/x86/mm/fault.c': 'int x86_helper(void)\n{\n\treturn 4;\n}\n',
  });
  const config = parseConfig(['CONFIG_64BIT=y', 'CONFIG_SMP=y', 'CONFIG_EXT4_FS=m', 'CONFIG_FOO=m', 'CONFIG_ZSMALLOC=m'].join('\n'), 'test.config');
  it('folders only obj-m lists are modules, and so is everything under them; built-in folders are vmlinux', () => {
    const k = new Kbuild(root, config);
    assert.equal(k.dirLink(path.join(root, 'drivers/foo')), 'module');
    assert.equal(k.dirLink(path.join(root, 'drivers/base')), 'vmlinux');
    assert.equal(k.fileStatus(path.join(root, 'drivers/base/core.c')), 'built');
    assert.equal(k.fileStatus(path.join(root, 'drivers/foo/foo.c')), 'module');
    assert.equal(k.fileStatus(path.join(root, 'mm/zsmalloc.c')), 'module');
    assert.equal(k.fileStatus(path.join(root, 'mm/filemap.c')), 'built');
  });
  it('the boot stub is not the kernel: arch/x86/boot is left out', () => {
    const k = new Kbuild(root, config);
    assert.equal(k.dirLink(path.join(root, 'arch/x86/boot')), 'none');
    assert.equal(k.dirLink(path.join(root, 'arch/x86/mm')), 'vmlinux');
  });
  it('a whole tree lists module folders only for the filesystems a run uses', () => {
    const stats = {} as { files: number; modulesLeftOut: number };
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-'));
    const set = sourceModelSet('6.1', [root], { roots: ['mm_helper'], filesystems: ['nobh'], cache, stats: stats as never });
    // the module's page_wanted is no candidate: nothing linked into vmlinux can call it
    assert.equal(set.functions.get('page_wanted'), undefined);
    assert.equal(set.functions.get('mm_helper')?.from, 'source');
    // nobh's code is linked into vmlinux (fs/ext2 is not built here): mm/zsmalloc.c, a module, cannot be reached
    assert.equal(stats.modulesLeftOut, 1);
    const ext3 = {} as { files: number; modulesLeftOut: number };
    sourceModelSet('6.1', [root], { roots: ['mm_helper'], filesystems: ['ext3'], cache, stats: ext3 as never });
    // ext4's code serves ext3 and is a module, which may call other modules: fs/ext4 and
    // mm/zsmalloc.c are listed; drivers/foo, a module folder no filesystem names, never
    assert.equal(ext3.modulesLeftOut, 0);
    assert.equal(ext3.files, stats.files + 2);
  });
});

describe('a file built as a module is compiled with -DMODULE', () => {
  // the same helper, once linked into vmlinux and once in a module: #ifdef MODULE decides which callee it has
  const body = (name: string): string => `int ${name}(void)\n{\n#ifdef MODULE\n\treturn as_module_${name}();\n#else\n\treturn built_in_${name}();\n#endif\n}\n`;
  const root = tmpTree({
    'Makefile': 'VERSION = 6\nPATCHLEVEL = 1\n',
    'include/linux/fs.h': 'struct page;\n',
    'mm/Makefile': 'obj-y += filemap.o\n',
    'mm/filemap.c': body('mm_side'),
    'fs/Makefile': 'obj-$(CONFIG_EXT4_FS) += ext4/\n',
    'fs/ext4/Makefile': 'obj-$(CONFIG_EXT4_FS) += ext4.o\next4-y := inode.o\n',
    'fs/ext4/inode.c': body('ext4_side'),
  });
  const config = path.join(root, 'test.config');
  fs.writeFileSync(config, 'CONFIG_64BIT=y\nCONFIG_SMP=y\nCONFIG_EXT4_FS=m\n');
  it('the module takes the MODULE branch, the built-in file the other one', () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-'));
    const callees = (): string[] => {
      const set = sourceModelSet('6.1', [root], { roots: ['mm_side', 'ext4_side'], filesystems: ['ext3'], cache, configFile: config });
      return ['mm_side', 'ext4_side'].flatMap((n) => set.functions.get(n)!.program.code.flatMap((i) => (i.op === 'call' && 'callee' in i ? [String(i.callee)] : [])));
    };
    assert.deepEqual(callees(), ['built_in_mm_side', 'as_module_ext4_side']);
    // the lifts kept in the cache are those of their file's view of the configuration
    assert.deepEqual(callees(), ['built_in_mm_side', 'as_module_ext4_side']);
  });
});

describe('ops tables as the configuration compiles them', () => {
  const root = tmpTree({
    'Makefile': 'VERSION = 6\nPATCHLEVEL = 1\n',
    'include/linux/fs.h': 'struct page;\n',
    'fs/Makefile': 'obj-y += ext4/\n',
    'fs/ext4/Makefile': 'obj-y += inode.o\n',
    'fs/ext4/inode.c': [
      '#if 0',
      'static const struct address_space_operations ext4_aops = {',
      '\t.dirty_folio = dead_dirty_folio,',
      '};',
      '#else',
      'static const struct address_space_operations ext4_aops = {',
      '\t.read_folio = ext4_read_folio,',
      '#ifdef CONFIG_TABLE_OFF',
      '\t.dirty_folio = off_dirty_folio,',
      '#else',
      '\t.dirty_folio = block_dirty_folio,',
      '#endif',
      '#ifdef CONFIG_MIGRATION',
      '\t.migrate_folio = buffer_migrate_folio,',
      '#endif',
      '#ifdef ARCH_HAS_SOMETHING',
      '\t.swap_activate = arch_swap_activate,',
      '#endif',
      '\t.invalidate_folio = ext4_invalidate_folio,',
      '};',
      '#endif',
    ].join('\n') + '\n',
  });
  const config = path.join(root, 'test.config');
  fs.writeFileSync(config, 'CONFIG_64BIT=y\nCONFIG_SMP=y\nCONFIG_MIGRATION=y\n');
  it('entries and tables under a false #if are left out, under an unsettled one taken and said', () => {
    const set = sourceModelSet('6.1', [root], { roots: [], filesystems: ['ext3'], cache: false, configFile: config });
    assert.deepEqual(Object.fromEntries(set.ops.get('ext4_aops') ?? []), {
      read_folio: 'ext4_read_folio', dirty_folio: 'block_dirty_folio', migrate_folio: 'buffer_migrate_folio',
      swap_activate: 'arch_swap_activate', invalidate_folio: 'ext4_invalidate_folio',
    });
    const said = (set.assumptions ?? []).filter((a) => a.kind === 'config' && a.function === 'arch_swap_activate');
    assert.equal(said.length, 1);
    assert.match(said[0].message, /ext4_aops\.swap_activate = arch_swap_activate is compiled under #if defined\(ARCH_HAS_SOMETHING\)/);
    assert.equal(said[0].at?.line, 17);
  });
  it('another configuration compiles other entries', () => {
    const other = path.join(root, 'other.config');
    fs.writeFileSync(other, 'CONFIG_64BIT=y\nCONFIG_SMP=y\nCONFIG_TABLE_OFF=y\n');
    const set = sourceModelSet('6.1', [root], { roots: [], filesystems: ['ext3'], cache: false, configFile: other });
    const table = set.ops.get('ext4_aops')!;
    assert.equal(table.get('dirty_folio'), 'off_dirty_folio');
    assert.equal(table.has('migrate_folio'), false);
  });
});

describe('evaluated Makefiles kept between runs', () => {
  const config = parseConfig(['CONFIG_64BIT=y', 'CONFIG_SMP=y', 'CONFIG_FOO=y', 'CONFIG_BAR=m'].join('\n'), 'test.config');
  const tree = (): string => tmpTree({
    'Makefile': 'VERSION = 6\nPATCHLEVEL = 1\n',
    'mm/Makefile': 'obj-$(CONFIG_FOO) += a.o\n', 'mm/a.c': '', 'mm/b.c': '',
    'drivers/Makefile': 'obj-$(CONFIG_BAR) += bar/\n', 'drivers/bar/Kbuild': 'obj-y += bar.o\n', 'drivers/bar/bar.c': '',
  });
  // a minute from now: the Makefiles written here are no longer "just changed" (ctime cannot be set back)
  const later = (): number => Date.now() + 60_000;
  it('a later run answers from the saved evaluations, and sees an edited Makefile', () => {
    const root = tree();
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-'));
    const first = new Kbuild(root, config, cache, later);
    assert.equal(first.fileStatus(path.join(root, 'mm/a.c')), 'built');
    assert.equal(first.fileStatus(path.join(root, 'drivers/bar/bar.c')), 'module');
    first.save();
    const saved = fs.readdirSync(path.join(cache, 'trees')).filter((f) => f.endsWith('.kbuild.json'));
    assert.equal(saved.length, 1);
    // the saved evaluation is what the next run reads: say so by changing it behind the Makefile's back
    const file = path.join(cache, 'trees', saved[0]);
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    data.makefiles[path.join(root, 'mm')].built.push('b.o');
    fs.writeFileSync(file, JSON.stringify(data));
    assert.equal(new Kbuild(root, config, cache, later).fileStatus(path.join(root, 'mm/b.c')), 'built');
    // an edit to the Makefile (other size, other ctime) is seen, saved answer or not
    fs.writeFileSync(path.join(root, 'mm/Makefile'), 'obj-y += b.o\n');
    const edited = new Kbuild(root, config, cache, later);
    assert.equal(edited.fileStatus(path.join(root, 'mm/b.c')), 'built');
    assert.equal(edited.fileStatus(path.join(root, 'mm/a.c')), 'unlisted');
    // a Makefile added beside the Kbuild is make's choice from then on
    fs.writeFileSync(path.join(root, 'drivers/bar/Makefile'), 'obj-$(CONFIG_NOPE) += bar.o\n');
    assert.equal(new Kbuild(root, config, cache, later).fileStatus(path.join(root, 'drivers/bar/bar.c')), 'not-built');
  });
});

describe('the release a tree says picks the era', () => {
  it('the newest era at or below the release', () => {
    assert.equal(eraForRelease('6.1'), '6.1');
    assert.equal(eraForRelease('6.6'), '6.1');
    assert.equal(eraForRelease('5.15'), '5.11');
    assert.equal(eraForRelease('5.10'), '5.10');
    assert.equal(eraForRelease('2.6.8'), undefined);
  });
  const root = tmpTree({ 'Makefile': 'VERSION = 6\nPATCHLEVEL = 1\n', 'include/linux/x.h': '', 'mm/a.c': '' });
  it('no --era: the tree\'s release', () => {
    assert.deepEqual(sourceEra(undefined, [path.join(root, 'mm')]), { era: '6.1', release: '6.1' });
  });
  it('6.1 source under 5.10 built-ins is refused with a message naming both, before any run', () => {
    const r = sourceEra('5.10', [path.join(root, 'mm')]);
    assert.equal(r.era, undefined);
    assert.match(r.problem ?? '', /Linux 6\.1.*--era 5\.10.*use --era 6\.1/);
  });
  it('an overlay of the fitting era is accepted', () => {
    assert.equal(sourceEra('6.1+hugh', [root]).era, '6.1+hugh');
  });
  it('a tree without its top Makefile and no --era: says so', () => {
    const bare = tmpTree({ 'include/linux/x.h': '', 'mm/a.c': '' });
    assert.match(sourceEra(undefined, [bare]).problem ?? '', /Makefile is missing/);
  });
});

describe('which definition is the compiled one', () => {
  const root = tmpTree({
    'Makefile': 'VERSION = 6\nPATCHLEVEL = 1\n',
    'include/linux/fs.h': [
      '#ifndef _LINUX_FS_H', '#define _LINUX_FS_H',
      'static inline long helper_size(struct inode *inode)', '{',
      '#if BITS_PER_LONG==32 && defined(CONFIG_SMP)', '\tBUG();', '\treturn 1;',
      '#elif BITS_PER_LONG==32 && defined(CONFIG_PREEMPTION)', '\tBUG();', '\treturn 2;',
      '#else', '\treturn 3;', '#endif', '}',
      '#ifdef CONFIG_SWAP', 'static inline int swap_thing(void) { return 1; }',
      '#else', 'static inline int swap_thing(void) { BUG(); return 0; }', '#endif',
      '#endif',
    ].join('\n'),
    'mm/Makefile': 'obj-y += util.o\nobj-$(CONFIG_SLOB) += slob.o\n',
    'mm/util.c': 'void kfree_sensitive(const void *p)\n{\n}\n',
    'mm/slob.c': 'void kfree_sensitive(const void *p)\n{\n\tBUG();\n}\n',
    'mm/link.c': '',
  });
  fs.rmSync(path.join(root, 'mm/link.c'));
  fs.symlinkSync(path.join(root, 'mm/util.c'), path.join(root, 'mm/link.c'));
  const configFile = path.join(root, 'test.config');
  fs.writeFileSync(configFile, 'CONFIG_64BIT=y\nCONFIG_SMP=y\nCONFIG_SWAP=y\n');
  const set = sourceModelSet('6.1', [root], { roots: ['helper_size', 'swap_thing', 'kfree_sensitive'], cache: false, configFile });
  const code = (name: string): string => JSON.stringify(set.functions.get(name)?.program.code ?? null);
  it('inside a body: the 64-bit SMP branch (#else), not the first one', () => {
    assert.equal(set.functions.get('helper_size')?.from, 'source');
    assert.doesNotMatch(code('helper_size'), /BUG/);
    assert.deepEqual(set.functions.get('helper_size')?.notes ?? [], []);
  });
  it('at file scope: the CONFIG_SWAP definition, not the !CONFIG_SWAP stub', () => {
    assert.doesNotMatch(code('swap_thing'), /BUG/);
  });
  it('a file its Makefile does not build (slob.c) never defines anything', () => {
    assert.match(set.functions.get('kfree_sensitive')?.file ?? '', /mm\/util\.c$/);
  });
  it('a symbolic link is a skipped input, with its path', () => {
    const skipped = (set.assumptions ?? []).filter((a) => a.kind === 'skipped-input');
    assert.equal(skipped.length, 1);
    assert.match(skipped[0].message, /mm\/link\.c: a symbolic link/);
  });
});

describe('racelens run with a tree as --src', () => {
  process.env.RACELENS_LIFT_CACHE ??= fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-'));
  const root = tmpTree({
    'Makefile': 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n',
    'include/linux/pagemap.h': '',
    'mm/Makefile': 'obj-y += page-writeback.o\n',
    'mm/page-writeback.c': [
      'void folio_wait_writeback(struct folio *folio)', '{',
      '#ifdef CONFIG_RACELENS_TEST_WAIT_ONCE', '\tif (folio_test_writeback(folio))',
      '#else', '\twhile (folio_test_writeback(folio))', '#endif',
      '\t\tfolio_wait_bit(folio, PG_writeback);', '}', '',
    ].join('\n'),
  });
  const config = (extra: string): string => {
    const f = path.join(root, `${extra || 'plain'}.config`);
    fs.writeFileSync(f, `CONFIG_64BIT=y\nCONFIG_SMP=y\n${extra}\n`);
    return f;
  };
  it('no --era: the era is the tree\'s release', () => {
    const r = cli(['run', 'writeback-stale-wake', '--src', root, '--config', config(''), '--json']);
    assert.equal(r.status, 0, r.stderr);
    const [res] = JSON.parse(r.stdout).results;
    assert.equal(res.era, '6.1');
    assert.equal(res.verdict, 'holds');
    assert.equal(res.models.find((m: { function: string }) => m.function === 'folio_wait_writeback')?.from, 'source');
  });
  it('--config decides the #ifdef inside the body: waiting once brings the BUG_ON back', () => {
    const r = cli(['run', 'writeback-stale-wake', '--src', root, '--config', config('CONFIG_RACELENS_TEST_WAIT_ONCE=y'), '--json']);
    const [res] = JSON.parse(r.stdout).results;
    assert.equal(res.verdict, 'violated', r.stderr);
    assert.equal(res.invariant, 'bug-on');
  });
  it('6.1 source under --era 5.10 is refused before any run, with a clear message', () => {
    const r = cli(['run', 'writeback-stale-wake', '--era', '5.10', '--src', root]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /the source is Linux 6\.1, but --era 5\.10 fills in with the built-in models of 5\.10.*use --era 6\.1/);
    assert.doesNotMatch(r.stderr, /call depth/);
  });
  it('explain takes the tree\'s era and the configuration too', () => {
    const r = cli(['explain', 'folio_wait_writeback', '--src', root, '--config', config('CONFIG_RACELENS_TEST_WAIT_ONCE=y')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /lifted from source/);
    assert.doesNotMatch(r.stdout, /first branch used/);
  });
});

describe('ops tables from source', () => {
  process.env.RACELENS_LIFT_CACHE ??= fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-'));
  const root = tmpTree({
    'Makefile': 'VERSION = 6\nPATCHLEVEL = 1\n',
    'include/linux/fs.h': '',
    'fs/Makefile': 'obj-$(CONFIG_EXT4_FS) += ext4/\n',
    'mm/Makefile': 'obj-y += truncate.o\n',
    'mm/truncate.c': [
      'void folio_invalidate(struct folio *folio, size_t offset, size_t length)', '{',
      '\tconst struct address_space_operations *aops = folio->mapping->a_ops;', '',
      '\tif (aops->invalidate_folio)', '\t\taops->invalidate_folio(folio, offset, length);', '}', '',
    ].join('\n'),
    'fs/ext4/Makefile': 'obj-$(CONFIG_EXT4_FS) += ext4.o\next4-y := inode.o\n',
    'fs/ext4/inode.c': [
      'static bool ext4_dirty_folio(struct address_space *mapping, struct folio *folio)', '{',
      '\treturn ext4_helper_dirty(mapping, folio);', '}', '',
      'static const struct address_space_operations ext4_aops = {',
      '\t.writepage\t= ext4_writepage,', '\t.dirty_folio\t= ext4_dirty_folio,', '\t.invalidate_folio = ext4_nowhere_folio,', '};', '',
    ].join('\n'),
  });
  const configFile = path.join(root, 'ext4.config');
  fs.writeFileSync(configFile, 'CONFIG_64BIT=y\nCONFIG_SMP=y\nCONFIG_EXT4_FS=m\n');
  const set = sourceModelSet('6.1', [root], { roots: ['folio_mark_dirty', 'folio_invalidate'], filesystems: ['ext3'], cache: false, configFile });
  it('fs ext3 on 6.1 takes the real ext4_aops; its dirty_folio is lifted as a root of the helper search', () => {
    assert.equal(set.ops.get('ext4_aops')?.get('dirty_folio'), 'ext4_dirty_folio');
    assert.equal(set.functions.get('ext4_dirty_folio')?.from, 'source');
  });
  it('an entry the run can call with neither model nor compiled source is said, with the table line', () => {
    // folio_invalidate (from source) calls ->invalidate_folio
    assert.equal(set.functions.get('folio_invalidate')?.from, 'source');
    const unknown = (set.assumptions ?? []).filter((a) => a.kind === 'unknown-table-target');
    const inval = unknown.find((a) => a.function === 'ext4_nowhere_folio');
    assert.ok(inval, JSON.stringify(unknown));
    assert.equal(inval!.at?.line, 9);
    assert.match(inval!.at?.file ?? '', /fs\/ext4\/inode\.c$/);
    assert.match(inval!.message, /ext4_aops\.invalidate_folio = ext4_nowhere_folio: no model/);
    // ->writepage is never called by anything the run reaches: nothing said about it
    assert.ok(!unknown.some((a) => a.function === 'ext4_writepage'));
  });
});

describe('inputs left out are said, with their paths', () => {
  const root = tmpTree({ 'a.c': 'int a(void)\n{\n\treturn 1;\n}\n', 'notes.txt': 'not C\n' });
  fs.writeFileSync(path.join(root, 'huge.c'), `/* ${'x'.repeat(5 * 1024 * 1024)} */\n`);
  let deep = root;
  for (let i = 0; i < 14; i++) deep = path.join(deep, `d${i}`);
  fs.mkdirSync(deep, { recursive: true });
  fs.writeFileSync(path.join(deep, 'deep.c'), 'int deep(void)\n{\n\treturn 2;\n}\n');
  const set = sourceModelSet('6.1', [root, path.join(root, 'notes.txt')], { roots: ['a'], cache: false });
  const skipped = (set.assumptions ?? []).filter((a) => a.kind === 'skipped-input');
  it('a file larger than 4 MB', () => assert.ok(skipped.some((a) => /huge\.c: larger than 4 MB/.test(a.message)), JSON.stringify(skipped)));
  it('a folder deeper than 12 levels', () => assert.ok(skipped.some((a) => /d12: deeper than 12 folders/.test(a.message)), JSON.stringify(skipped)));
  it('a --src file that is not C', () => assert.ok(skipped.some((a) => /notes\.txt: not a C file/.test(a.message)), JSON.stringify(skipped)));
  it('the rest is used', () => assert.equal(set.functions.get('a')?.from, 'source'));
});

describe('a tree of a later release', () => {
  const root = tmpTree({ 'Makefile': 'VERSION = 6\nPATCHLEVEL = 6\n', 'include/linux/x.h': '', 'mm/a.c': 'int a(void)\n{\n\treturn 1;\n}\n' });
  it('runs under the newest era at or below it, with the nearest Debian configuration said as a stand-in', () => {
    assert.deepEqual(sourceEra(undefined, [root]), { era: '6.1', release: '6.6' });
    const set = sourceModelSet('6.1', [root], { roots: ['a'], cache: false });
    const config = (set.assumptions ?? []).filter((a) => a.kind === 'config');
    assert.equal(config.length, 1);
    if (fs.existsSync('/usr/src/linux-config-6.1/config.amd64_none_amd64.xz')) {
      assert.match(config[0].message, /no Debian configuration for 6\.6 .*Debian's 6\.1 configuration .* stands in/);
    } else {
      assert.match(config[0].message, /no kernel configuration: .*linux-config-6\.6/);
    }
  });
});
