/**
 * `kill(Pn)`: a fatal signal to the task a CPU block runs. Its argument must be a CPU
 * block of the same file, exactly one; a CPU name anywhere else is an error.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRace } from 'racelens-server/out/scenario/index.js';
import { OPTS } from './fixtures.js';

const race = (cpus: string) => `race k "t"
era 6.1
setup {
  file F { page P index 0 uptodate locked }
}
${cpus}
check deadlock
`;

function errors(text: string): { code: string; line: number; column: number; message: string }[] {
  const r = parseRace(text, OPTS);
  const errs = r.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(r.race === undefined, errs.length > 0);
  return errs.map((d) => ({ code: d.code, line: d.range.start.line, column: d.range.start.column, message: d.message }));
}

describe('kill(Pn) in a scenario', () => {
  it('names a CPU block of the file: the argument resolves to that CPU', () => {
    const r = parseRace(race('P0 a { sync(F) }\nP1 b { kill(P0) }'), OPTS);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    const arg = r.race!.cpus[1].calls[0].args[0];
    assert.equal(arg.kind, 'object');
    assert.equal(arg.kind === 'object' && arg.objectKind, 'cpu');
  });

  it('a CPU that no block declares is an unknown CPU, at the argument', () => {
    assert.deepEqual(errors(race('P0 a { kill(P7) }')), [
      { code: 'undefined-object', line: 6, column: 13, message: "unknown CPU 'P7' in 'kill(...)': no CPU block of that name" },
    ]);
  });

  it('a file, a page or a number is not a CPU', () => {
    const e = errors(race('P0 a { kill(F) }\nP1 b { kill(3) }'));
    assert.deepEqual(e.map((x) => [x.code, x.line, x.column]), [['wrong-object-kind', 6, 13], ['wrong-object-kind', 7, 13]]);
    assert.match(e[0].message, /'kill' needs a CPU \(P0, P1, \.\.\.\), given 'F'/);
    assert.match(e[1].message, /given '3'/);
  });

  it('no argument or two arguments: the count is wrong', () => {
    const e = errors(race('P0 a { kill() }\nP1 b { kill(P0, P1) }'));
    assert.deepEqual(e.map((x) => [x.code, x.line]), [['wrong-arity', 6], ['wrong-arity', 7]]);
    assert.match(e[0].message, /'kill' takes 1 argument \(a CPU, e\.g\. 'kill\(P1\)'\), given 0/);
    assert.match(e[1].message, /given 2/);
  });

  it('a CPU given to any other operation is an error that says only kill takes one', () => {
    const e = errors(race('P0 a { sync(P0) }'));
    assert.equal(e.length, 1);
    assert.equal(e[0].code, 'wrong-object-kind');
    assert.match(e[0].message, /'P0' is a CPU: only kill\(\.\.\.\) takes a CPU/);
  });
});
