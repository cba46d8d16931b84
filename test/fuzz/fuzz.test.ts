/**
 * The fuzz suite: a few thousand seeded inputs, most of them in this process (the
 * parser, the validator, the runner with small budgets, the lifter, the name lookups,
 * the lift cache), a sample through the CLI. Every case must end cleanly: a result or
 * positioned diagnostics, never a JavaScript error's text, in bounded time, and the
 * process's memory must stay bounded over the whole corpus.
 *
 * FUZZ_SEED changes the seed (the default is fixed, so `npm test` is repeatable);
 * a failing case's message names its kind and number.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseScenarioText, arityOf, isOperation, runScenario, scenarioRoots } from 'racelens-server/out/scenario/index.js';
import { builtinModelSet, checkEraSpec, eraInfo, overlayInfo } from 'racelens-server/out/catalog/models.js';
import { filesystem } from 'racelens-server/out/catalog/filesystems.js';
import { entryByName } from 'racelens-server/out/catalog/functions.js';
import { primitives } from 'racelens-server/out/sim/ops/index.js';
import { compileSource } from 'racelens-server/out/lift/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { LiftCache, decodeEntry, encodeEntry, fileState } from 'racelens-server/out/catalog/lift-cache.js';
import { ModelLinker } from 'racelens-server/out/catalog/linker.js';
import { JS_ERROR_TEXT, PROTO_NAMES, Rng, mutatedC, mutatedRace, randomBytes, randomRace, C_FIXTURES } from './corpus.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
/** No single in-process case may take longer than this (the budgets below are far smaller). */
const CASE_MS = 10_000;
const temporary: string[] = [];
after(() => { for (const d of temporary) fs.rmSync(d, { recursive: true, force: true }); });

function tmpdir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-fuzz-'));
  temporary.push(d);
  return d;
}

function clean(text: string, what: string): void {
  assert.doesNotMatch(text, JS_ERROR_TEXT, `${what}: JavaScript error text in\n${text.slice(0, 800)}`);
}

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

/** Parses a .race text; every diagnostic is positioned inside the text and reads cleanly. */
function checkParse(text: string, what: string) {
  const t0 = Date.now();
  const parsed = parseScenarioText(text, `fuzz.race`);
  const lines = lineCount(text);
  for (const d of parsed.diagnostics) {
    clean(d.message, what);
    assert.ok(d.range.start.line >= 1 && d.range.start.line <= lines + 1, `${what}: diagnostic line ${d.range.start.line} outside 1..${lines}: ${d.message}`);
    assert.ok(d.range.start.column >= 1, `${what}: diagnostic column ${d.range.start.column}`);
  }
  assert.ok(Date.now() - t0 < CASE_MS, `${what}: parse took ${Date.now() - t0} ms`);
  return parsed;
}

const VERDICTS = new Set(['holds', 'violated', 'incomplete', 'error']);

/** Runs every run a parsed scenario names, with small budgets; errors must name a place in the file. */
function checkRuns(text: string, what: string, limit = 2): number {
  const parsed = checkParse(text, what);
  const race = parsed.race;
  if (!race) return 0;
  const specs = [...new Set([race.era, ...race.expects.map((e) => e.eraSpec)])].slice(0, limit);
  for (const eraSpec of specs) {
    const t0 = Date.now();
    const r = runScenario({ race, file: 'fuzz.race', eraSpec, maxStates: 3000, timeLimitMs: 3000, maxMemoryMb: 64 });
    assert.ok(VERDICTS.has(r.verdict), `${what}: verdict ${r.verdict}`);
    clean(r.message ?? '', `${what} era ${eraSpec}`);
    if (r.verdict === 'error') {
      assert.match(r.message ?? '', /^fuzz\.race:\d+:\d+: error: /, `${what} era ${eraSpec}: an error without a place: ${r.message}`);
      const line = Number(/^fuzz\.race:(\d+):/.exec(r.message ?? '')?.[1]);
      assert.ok(line >= 1 && line <= lineCount(text), `${what}: error line ${line}`);
    }
    for (const row of r.trace ?? []) clean(`${row.op} ${row.state} ${row.remarks.join(' ')}`, `${what} trace`);
    assert.ok(Date.now() - t0 < CASE_MS, `${what}: run took ${Date.now() - t0} ms`);
  }
  return specs.length;
}

describe(`fuzz (seed ${SEED})`, () => {
  const rng = new Rng(SEED);
  const startRss = process.memoryUsage().rss;
  let cases = 0;

  it('random .race token soup and random bytes: positioned diagnostics, no JavaScript errors', () => {
    for (let i = 0; i < 2000; i++) {
      const text = i % 4 === 3 ? randomBytes(rng, 1 + rng.int(2000)) : randomRace(rng);
      checkParse(text, `random race #${i}`);
      cases++;
    }
  });

  it('mutated built-in scenarios: parsed, validated and run with small budgets', () => {
    let runs = 0;
    for (let i = 0; i < 1500; i++) {
      // most mutants are only parsed; every sixth is run too
      const text = mutatedRace(rng);
      if (i % 6 === 0) runs += checkRuns(text, `mutated race #${i}`, 1);
      else checkParse(text, `mutated race #${i}`);
      cases++;
    }
    // how many of the ~250 mutants that are run parse depends on the built-in races' text
    // (the seed picks lines by index): about twenty, a few fewer or more as a race changes
    assert.ok(runs >= 15, `enough mutants are valid enough to run (${runs})`);
  });

  it('prototype names wherever a name is looked up', () => {
    for (const name of [...PROTO_NAMES, 'prototype.x', '__proto__.files']) {
      for (const spec of [name, `6.1+${name}`, `${name}+hugh`, `5.10+hugh+${name}`]) {
        const problem = checkEraSpec(spec);
        assert.ok(problem && /unknown (era|overlay)/.test(problem), `${spec}: ${problem}`);
        clean(problem, spec);
        assert.throws(() => builtinModelSet(spec), /unknown (era|overlay)/);
      }
      assert.equal(eraInfo(name), undefined, name);
      assert.equal(overlayInfo(name), undefined, name);
      assert.equal(filesystem(name), undefined, name);
      assert.equal(entryByName(name), undefined, name);
      assert.equal(primitives.get(name), undefined, name);
      assert.equal(isOperation(name), false, name);
      assert.equal(arityOf(name), undefined, name);
      const linker = new ModelLinker(builtinModelSet('6.1'));
      assert.equal(linker.resolve(name).kind, 'unknown', name);
      // in a scenario: as an era, an overlay, a filesystem, an invariant, an object, a call, a label
      const race = `race ${name} "t"
era ${name}
setup {
  fs ${name}
  file ${name} { page P index 0 }
}
P0 ${name} { ${name}(P) }
check ${name}
expect 6.1+${name} fs ${name} violated ${name}
`;
      const parsed = checkParse(race, `proto race ${name}`);
      assert.equal(parsed.race, undefined, `${name}: a scenario of prototype names is not valid`);
      assert.ok(parsed.diagnostics.some((d) => d.message.includes(name)), `${name}: the diagnostics name it`);
      // in C: as a type, a field, a function, a local
      const c = compileSource(`int f(struct page *p) { ${name} x = 0; p->${name} = 1; ${name}(p); return p->${name}; }
int ${name}(struct page *p) { return 0; }`, `proto-${name}.c`);
      for (const e of c.errors) clean(e.what, `C with ${name}`);
      for (const fn of c.functions.values()) for (const n of fn.program.notes) clean(n.what, `C note with ${name}`);
      cases++;
    }
  });

  it('mutated kernel-style C: the lifter reports, never fails inside', () => {
    for (let i = 0; i < 800; i++) {
      const { name, text } = mutatedC(rng);
      const t0 = Date.now();
      const u = compileSource(text, name);
      for (const e of u.errors) {
        clean(e.what, `mutated C #${i}`);
        assert.doesNotMatch(e.what, /internal error/, `mutated C #${i}: ${e.what}`);
        assert.ok(e.line >= 1 && e.line <= lineCount(text), `mutated C #${i}: error line ${e.line}`);
      }
      for (const f of u.functions.values()) for (const n of f.program.notes) clean(n.what, `mutated C #${i} note`);
      assert.ok(Date.now() - t0 < CASE_MS, `mutated C #${i}: ${Date.now() - t0} ms`);
      cases++;
    }
  });

  it('mutated C as --src: runs end in a verdict or an error naming the C file, line and column', () => {
    const race = parseScenarioText(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'server', 'builtin', 'scenarios', 'writeback-stale-wake.race'), 'utf8'), 'wsw.race').race!;
    const srcFixtures = C_FIXTURES.filter((f) => /^(cache-wait|wait-if|wait-while|wait-for-break)\//.test(f.name));
    assert.ok(srcFixtures.length > 0);
    for (let i = 0; i < 36; i++) {
      const base = rng.pick(srcFixtures);
      const dir = tmpdir();
      let text = base.text;
      const mutant = mutatedC(rng);
      if (mutant.name === base.name) text = mutant.text;
      // a few known runaways among the mutants: recursion, a spin loop, a call through a number
      if (i % 6 === 0) text = text.replace(/\{\n/, `{\n\t${rng.pick(['wait_on_page_writeback(page);', 'while (1) ;', '((void (*)(struct page *))3)(page);'])}\n`);
      fs.writeFileSync(path.join(dir, 'filemap.c'), text);
      const t0 = Date.now();
      const models = sourceModelSet('5.10', [dir], { roots: scenarioRoots(race), cache: false });
      const r = runScenario({ race, file: 'wsw.race', eraSpec: '5.10', models, maxStates: 5000, timeLimitMs: 3000, maxMemoryMb: 64 });
      assert.ok(VERDICTS.has(r.verdict), `C run #${i}: ${r.verdict}`);
      clean(r.message ?? '', `C run #${i}`);
      if (r.verdict === 'error' && /filemap\.c/.test(r.message ?? '')) {
        assert.match(r.message ?? '', /filemap\.c:\d+(:\d+)?\)/, `C run #${i}: the C place in ${r.message}`);
      }
      assert.ok(Date.now() - t0 < CASE_MS, `C run #${i}: ${Date.now() - t0} ms`);
      cases++;
    }
  });

  it('damaged lift cache entries are misses: the same lift as without a cache', () => {
    const dir = tmpdir();
    const src = path.join(dir, 'src');
    fs.mkdirSync(src);
    const file = path.join(src, 'filemap.c');
    fs.writeFileSync(file, C_FIXTURES.find((f) => f.name.startsWith('cache-wait/'))!.text);
    const cacheRoot = path.join(dir, 'cache');
    const race = parseScenarioText(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'server', 'builtin', 'scenarios', 'writeback-stale-wake.race'), 'utf8'), 'wsw.race').race!;
    const lifted = () => sourceModelSet('5.10', [src], { roots: scenarioRoots(race), cache: cacheRoot }).functions.get('wait_on_page_writeback')!;
    const reference = JSON.stringify(sourceModelSet('5.10', [src], { roots: scenarioRoots(race), cache: false }).functions.get('wait_on_page_writeback')!.program.code);
    lifted();
    const cache = new LiftCache(cacheRoot);
    const entryFile = path.join(cache.dir, fs.readdirSync(cache.dir)[0]!);
    const good = fs.readFileSync(entryFile, 'utf8');
    const entry = decodeEntry(good);
    for (let i = 0; i < 300; i++) {
      let bad: string;
      if (i % 2 === 0) {
        // flip bytes of the stored text: the checksum catches it
        const b = Buffer.from(good);
        for (let k = 0; k <= rng.int(3); k++) b[rng.int(b.length)] = rng.int(256);
        bad = b.toString('latin1');
      } else {
        // change the JSON and sign it again: the schema (or the identity checks) must catch what matters
        const copy = JSON.parse(JSON.stringify(entry)) as Record<string, unknown>;
        const paths: (() => void)[] = [
          () => { copy.tables = rng.pick([2, 'x', [[1, 2]], [['t', 2]], null, {}]); },
          () => { (copy.functions as Record<string, unknown>).wait_on_page_writeback = rng.pick([2, 'x', {}, { program: null }, []]); },
          () => { const fn = (copy.functions as Record<string, { program: { code: unknown[] } }>).wait_on_page_writeback!; fn.program.code[rng.int(fn.program.code.length)] = rng.pick([null, 2, {}, { op: 'jmp', to: -1 }, { op: 'jmp', to: 1e9 }, { op: 'br', c: null, t: 0, f: 0 }, { op: 'call', callee: 7, args: [] }]); },
          () => { copy.defs = rng.pick([null, 3, [1], 'x']); },
          () => { copy.state = rng.pick([null, {}, { size: -1 }]); },
          () => { (copy as Record<string, unknown>)['__proto__'] = { polluted: true }; },
        ];
        rng.pick(paths)();
        bad = encodeEntry(copy as never);
      }
      fs.writeFileSync(entryFile, bad, 'latin1');
      const got = cache.get(file, fileState(file), () => fs.readFileSync(file, 'utf8'));
      if (got) assert.equal(JSON.stringify(got.functions.wait_on_page_writeback?.program.code), reference, `cache case #${i}: a used entry is a right one`);
      assert.equal(JSON.stringify(lifted().program.code), reference, `cache case #${i}: the lift used`);
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
      cases++;
    }
  });

  it('memory stays bounded over the corpus', () => {
    const grown = (process.memoryUsage().rss - startRss) / (1024 * 1024);
    assert.ok(cases > 2500, `a few thousand cases (${cases})`);
    assert.ok(grown < 1024, `RSS grew by ${grown.toFixed(0)} MB over ${cases} cases`);
  });
});
