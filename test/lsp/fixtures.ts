/**
 * The fixtures of the language-server tests, named once: kernel-style C files written
 * for racelens (not kernel source) and .race files, with helpers that copy them into a
 * temporary workspace.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findKernelTree } from '../kernel/tree.js';

/** test/out/lsp -> test/out -> test -> root */
export const ROOT = path.join(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'server', 'bin', 'racelens.js');
const KERNEL_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'kernel');
const LSP_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'lsp');

function read(p: string): string {
  return fs.readFileSync(p, 'utf8');
}

/** clear_page_dirty_for_io as 7658cc289288 left it (2.6.20): page_mkclean first. */
export const CPDFIO_2620 = read(path.join(KERNEL_FIXTURES, 'cpdfio-fixed', 'page-writeback.c'));
/** clear_page_dirty_for_io as 2.6.19 had it: TestClearPageDirty, then page_mkclean ignored. */
export const CPDFIO_2619 = read(path.join(KERNEL_FIXTURES, 'cpdfio-prefix', 'page-writeback.c'));
/** A scenario too large to finish quickly, for cancellation. */
export const LONG_RUN_RACE = read(path.join(LSP_FIXTURES, 'long-run.race'));
/** A user scenario of the engine tests. */
export const TRUNCATE_TWO_PAGES_RACE = read(path.join(ROOT, 'test', 'fixtures', 'races', 'truncate-two-pages.race'));

/** A built-in scenario's text, as the library ships it. */
export function builtinScenarioText(name: string): string {
  return read(path.join(ROOT, 'server', 'builtin', 'scenarios', `${name}.race`));
}

/** The body of a function in a text: from its name's line to the closing brace at column 0. */
export function functionSpan(text: string, name: string): { start: number; end: number } {
  const start = text.search(new RegExp(`^\\w[^\\n]*\\b${name}\\(`, 'm'));
  if (start < 0) throw new Error(`no definition of ${name}`);
  const end = text.indexOf('\n}', start) + 2;
  return { start, end };
}

export interface TempWorkspace {
  dir: string;
  uri: string;
  file(rel: string): string;
  fileUri(rel: string): string;
  write(rel: string, text: string | Buffer): string;
  remove(): void;
}

export function tempWorkspace(prefix = 'racelens-lsp-'): TempWorkspace {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const ws: TempWorkspace = {
    dir,
    uri: pathToFileURL(dir).href,
    file: (rel) => path.join(dir, rel),
    fileUri: (rel) => pathToFileURL(path.join(dir, rel)).href,
    write: (rel, text) => {
      const p = path.join(dir, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
      return p;
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
  return ws;
}

/** The real Debian 6.1 tree, when it has been extracted (npm run kernel). */
export function realTree(): string | undefined {
  return findKernelTree();
}
