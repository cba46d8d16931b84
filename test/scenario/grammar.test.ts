import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FULL_EXAMPLE } from './fixtures.js';

// Compiled to test/out/scenario/, so the repository root is three levels up.
const ROOT = join(__dirname, '..', '..', '..');
const GRAMMAR_PATH = join(ROOT, 'syntaxes', 'race.tmLanguage.json');

interface Rule {
  include?: string;
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  name?: string;
  captures?: Record<string, { name?: string }>;
  patterns?: Rule[];
}

interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const grammar = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8')) as Grammar;

function* allRules(rules: readonly Rule[]): Generator<Rule> {
  for (const r of rules) {
    yield r;
    if (r.patterns) yield* allRules(r.patterns);
  }
}

/** Flatten includes into the ordered list of `match` rules a line is tried against. */
function matchRules(rules: readonly Rule[], seen = new Set<string>()): Rule[] {
  const out: Rule[] = [];
  for (const r of rules) {
    if (r.include) {
      const key = r.include.slice(1);
      if (seen.has(key)) continue;
      out.push(...matchRules([grammar.repository[key]!], new Set([...seen, key])));
    } else if (r.patterns && !r.begin) {
      out.push(...matchRules(r.patterns, seen));
    } else {
      out.push(r);
    }
  }
  return out;
}

/**
 * A tiny single-line TextMate tokenizer: at each point the earliest match among the
 * rules wins, ties going to the first rule, as in vscode-textmate. Enough to check
 * that the patterns colour a line as intended; begin/end rules take the rest of
 * the line or up to their end match.
 */
function scopesOf(line: string): Map<string, string> {
  const rules = matchRules(grammar.patterns);
  const out = new Map<string, string>();
  const note = (text: string, scope: string | undefined) => {
    if (scope && text.trim() && !out.has(text.trim())) out.set(text.trim(), scope);
  };
  let pos = 0;
  while (pos < line.length) {
    let best: { rule: Rule; m: RegExpExecArray } | undefined;
    for (const rule of rules) {
      const re = new RegExp(rule.match ?? rule.begin!, 'dg');
      re.lastIndex = pos;
      const m = re.exec(line);
      if (m && m[0].length > 0 && (!best || m.index < best.m.index)) best = { rule, m };
    }
    if (!best) break;
    const { rule, m } = best;
    let end = m.index + m[0].length;
    if (rule.begin) {
      const re = new RegExp(rule.end!, 'g');
      re.lastIndex = end;
      const e = re.exec(line);
      end = e ? e.index + e[0].length : line.length;
      note(line.slice(m.index, end), rule.name);
    } else {
      for (const [group, cap] of Object.entries(rule.captures ?? {})) {
        const span = m.indices![Number(group)];
        if (span) note(line.slice(span[0], span[1]), cap.name);
      }
      note(m[0], rule.name);
    }
    pos = end;
  }
  return out;
}

describe('TextMate grammar', () => {
  it('is JSON with the race scope name', () => {
    assert.equal(grammar.scopeName, 'source.race');
    assert.ok(grammar.patterns.length > 0);
  });

  it('compiles every regex with JavaScript RegExp', () => {
    let count = 0;
    const roots = [...grammar.patterns, ...Object.values(grammar.repository)];
    for (const rule of allRules(roots)) {
      for (const key of ['match', 'begin', 'end', 'while'] as const) {
        const src = rule[key];
        if (src === undefined) continue;
        assert.doesNotThrow(() => new RegExp(src), `${key}: ${src}`);
        count++;
      }
    }
    assert.ok(count >= 20, `only ${count} regexes`);
  });

  it('resolves every include', () => {
    const roots = [...grammar.patterns, ...Object.values(grammar.repository)];
    for (const rule of allRules(roots)) {
      if (rule.include) assert.ok(grammar.repository[rule.include.slice(1)], `missing ${rule.include}`);
    }
  });

  it('colours the example as intended', () => {
    const lines = FULL_EXAMPLE.split('\n');
    const expectScope = (lineNo: number, text: string, prefix: string) => {
      const scopes = scopesOf(lines[lineNo - 1]!);
      const got = scopes.get(text);
      assert.ok(got?.startsWith(prefix), `line ${lineNo} '${text}': ${got} (want ${prefix}...)`);
    };
    expectScope(1, '# comment to end of line', 'comment.line');
    expectScope(2, 'race', 'keyword.');
    expectScope(2, 'mmap-dirty-lost', 'entity.name.type');
    expectScope(2, '"A write through a shared mapping is lost by writeback"', 'string.quoted');
    expectScope(3, '2.6.19', 'constant.other.era');
    expectScope(4, 'from', 'keyword.');
    expectScope(5, '7658cc289288', 'constant.other.commit');
    expectScope(5, 'in', 'keyword.');
    expectScope(5, '2.6.20', 'constant.other.era');
    expectScope(7, 'setup', 'keyword.');
    expectScope(8, 'ext3', 'support.type');
    expectScope(8, 'data', 'variable.parameter');
    expectScope(9, 'page', 'keyword.');
    expectScope(9, 'index', 'keyword.');
    expectScope(9, '0', 'constant.numeric');
    expectScope(9, 'uptodate', 'constant.language');
    expectScope(9, 'buffers', 'keyword.');
    expectScope(10, 'mmap', 'keyword.');
    expectScope(10, 'shared', 'keyword.');
    expectScope(10, 'readonly', 'constant.language');
    expectScope(10, 'clean', 'constant.language');
    expectScope(13, 'P0', 'entity.name.function');
    expectScope(13, 'user', 'entity.name.tag');
    expectScope(13, 'store', 'support.function');
    expectScope(14, 'journal_write_buffers', 'support.function');
    expectScope(17, 'final', 'keyword.');
    expectScope(18, 'check', 'keyword.');
    expectScope(18, 'lost-write bug-on deadlock', 'variable.other.invariant');
    expectScope(19, 'expect', 'keyword.');
    expectScope(19, 'violated', 'keyword.');
    expectScope(20, 'holds', 'keyword.');
    expectScope(21, '5.10+hugh', 'constant.other.era');
  });

  it('does not see keywords inside hyphenated names or calls', () => {
    const race = scopesOf('race mmap-fs-in-page "t"');
    assert.equal(race.get('mmap-fs-in-page'), 'entity.name.type.race.race');
    const call = scopesOf('P0 a { check(F); msync(U[P]); store(U, P, -1) }');
    assert.equal(call.get('check'), 'support.function.operation.race');
    assert.equal(call.get('U'), 'variable.other.mapping.race');
    assert.equal(call.get('-1'), 'constant.numeric.race');
    assert.equal(scopesOf('expect 2.6.19 incomplete').get('incomplete'), 'keyword.other.verdict.race');
  });
});
