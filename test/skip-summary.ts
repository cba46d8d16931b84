/**
 * A node:test reporter that `npm test` runs beside the spec reporter: at the end it
 * lists the tests that were skipped, grouped by why, each with the command that
 * enables them (`npm run kernel`, `npm run vscode-tools`, an apt-get), so that a
 * green run on a fresh machine does not pass for a run of every suite.
 */
import * as path from 'node:path';

interface TestEvent {
  type: string;
  data: { name?: string; file?: string; skip?: string | boolean; nesting?: number };
}

/** The command a skip reason asks for: named in the reason, else known by its words. */
const ENABLERS: [RegExp, string][] = [
  [/\b(npm run [\w:-]+)/, '$1'],
  [/\b(apt-get install(?: -y)? [\w.-]+)/, '$1'],
  [/test-electron|update\.code\.visualstudio\.com/, 'network access to update.code.visualstudio.com (npm run test:electron)'],
  [/VS Code in a browser|code-server|playwright/i, 'npm run vscode-tools'],
  [/no kernel tree|linux-source/i, 'npm run kernel'],
];

function enablerOf(reason: string): string | undefined {
  for (const [re, out] of ENABLERS) {
    const m = re.exec(reason);
    if (m) return out.replace('$1', m[1] ?? '');
  }
  return undefined;
}

/** The reason's first line, without the `skipped: ` every suite starts it with. */
function shortReason(reason: string): string {
  return reason.split('\n')[0]!.replace(/^skipped:\s*/, '');
}

async function* skipSummary(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const byReason = new Map<string, { tests: number; files: Set<string> }>();
  for await (const ev of source) {
    if (ev.type !== 'test:pass' && ev.type !== 'test:fail' && ev.type !== 'test:skip') continue;
    const skip = ev.data.skip;
    if (skip === undefined || skip === false) continue;
    const reason = typeof skip === 'string' ? skip : 'skipped (no reason given)';
    let g = byReason.get(reason);
    if (!g) byReason.set(reason, (g = { tests: 0, files: new Set() }));
    g.tests++;
    if (ev.data.file) g.files.add(path.relative(process.cwd(), ev.data.file).replace(/^test\/out\//, 'test/').replace(/\.js$/, '.ts'));
  }
  if (!byReason.size) {
    yield '\nNo test was skipped.\n';
    return;
  }
  const total = [...byReason.values()].reduce((n, g) => n + g.tests, 0);
  const lines = ['', `Skipped: ${total} test${total === 1 ? '' : 's'}, for ${byReason.size} reason${byReason.size === 1 ? '' : 's'}:`];
  const byEnabler = new Map<string, string[]>();
  for (const [reason, g] of byReason) {
    const enabler = enablerOf(reason) ?? '(no command enables it: see the reason)';
    const list = byEnabler.get(enabler) ?? [];
    list.push(`    ${g.tests} in ${[...g.files].join(', ') || '?'}: ${shortReason(reason)}`);
    byEnabler.set(enabler, list);
  }
  for (const [enabler, list] of byEnabler) lines.push(`  enable with: ${enabler}`, ...list);
  yield `${lines.join('\n')}\n`;
}

// node:test loads a reporter module's export itself (CommonJS: module.exports)
export = skipSummary;
