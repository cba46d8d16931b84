/**
 * Patch documents (.patch, .diff, .eml, .mbox, and untitled documents holding a diff):
 * a lens above each hunk that touches a function some built-in race reaches
 * (`▶ Review: 2 races reach this hunk`); clicking it reviews the whole document in a
 * child process (`racelens review - --json`, the document's text on stdin, so the
 * server never blocks on a run), and the lenses then say before → after in place
 * (`mmap-dirty-lost 6.1: ✓ sync-durability → ✗ violated`).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeLens } from 'vscode-languageserver';
import { parsePatches } from '../review/parse.js';
import { namedFunction } from '../review/apply.js';
import { scanDefinitions } from '../lift/c-text.js';
import { racesOf } from '../describe/races-per-function.js';
import type { Hunk } from '../review/types.js';
import type { OpenDocument } from './documents.js';
import { ReviewPatchCommand, type ReviewJson, type ReviewPatchParams, type ReviewPatchResult } from './protocol.js';

export const REVIEW_COMMAND = ReviewPatchCommand;

/** Where a review runs: a kernel tree (the workspace's) or an era's built-in models. */
export type PatchReviewParams = ReviewPatchParams;

/** What a review reads besides the patch: the editor's unsaved documents and the workspace's .race files. */
export interface ReviewInputs {
  /** absolute path -> text of the open documents */
  buffers: Map<string, string>;
  scenarios: string[];
}

const PATCH_URI = /\.(patch|diff|eml|mbox)(\?|#|$)/i;

export function isPatchDocument(d: { uri: string; languageId: string; doc: { getText(): string } }): boolean {
  if (d.languageId === 'diff' || PATCH_URI.test(d.uri)) return true;
  if (!d.uri.startsWith('untitled:')) return false;
  const text = d.doc.getText();
  return /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/m.test(text) && /^\+\+\+ /m.test(text);
}

interface Reviewed { version: number; json?: ReviewJson; error?: string; running?: boolean }

/** The functions a hunk is about: the one its header names and those its lines define. */
function hunkFunctions(h: Hunk): string[] {
  const names = new Set<string>();
  const named = namedFunction(h);
  if (named) names.add(named);
  for (const side of ['del', 'add'] as const) {
    const text = h.segments.filter((s) => s.kind === 'ctx' || s.kind === side).map((s) => s.text).join('\n');
    for (const d of scanDefinitions(text)) names.add(d.name);
  }
  return [...names];
}

const MARK: Record<string, string> = { holds: '✓', violated: '✗', incomplete: '…', error: '!' };
const CHANGE_ORDER = ['breaks', 'incomplete', 'fixes', 'still violated', 'holds'];

export class PatchReviews {
  private readonly byUri = new Map<string, Reviewed>();
  private readonly bin = path.resolve(__dirname, '..', '..', 'bin', 'racelens.js');

  constructor(private readonly changed: () => void) {}

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  /**
   * Reviews the document's text in a child process; the lenses say the result when it
   * ends, and the answer carries it (the review table of `racelens: Review Patch…`).
   */
  review(params: PatchReviewParams, d: OpenDocument, inputs: ReviewInputs = { buffers: new Map(), scenarios: [] }): Promise<ReviewPatchResult> {
    const version = d.doc.version;
    const entry: Reviewed = { version, running: true };
    this.byUri.set(d.uri, entry);
    this.changed();
    // the unsaved documents go to the child in a file of their own (stdin carries the patch)
    let buffersFile: string | undefined;
    if (inputs.buffers.size) {
      buffersFile = path.join(os.tmpdir(), `racelens-buffers-${process.pid}-${Date.now()}.json`);
      fs.writeFileSync(buffersFile, JSON.stringify(Object.fromEntries(inputs.buffers)));
    }
    const where = params.src ? ['--src', params.src, ...(params.era ? ['--era', params.era] : [])] : ['--era', params.era ?? '6.1'];
    const args = [this.bin, 'review', '-', '--json', ...where,
      ...(buffersFile ? ['--buffers', buffersFile] : []), ...inputs.scenarios.flatMap((f) => ['--scenarios', f])];
    return new Promise((resolve) => {
      const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
      child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
      child.on('close', (code) => {
        entry.running = false;
        if (buffersFile) fs.rmSync(buffersFile, { force: true });
        try {
          entry.json = JSON.parse(out) as ReviewJson;
        } catch {
          entry.error = (err.trim().split('\n')[0] || `racelens review exited with ${code}`).slice(0, 200);
        }
        this.changed();
        resolve({ started: true, ...(entry.json ? { review: entry.json } : { error: entry.error ?? 'no answer' }) });
      });
      child.stdin.end(d.doc.getText());
    });
  }

  lenses(d: OpenDocument, target: Omit<PatchReviewParams, 'uri'>): CodeLens[] {
    let patches;
    try {
      patches = parsePatches(d.doc.getText(), d.uri);
    } catch {
      return [];
    }
    const reviewed = this.byUri.get(d.uri);
    const current = reviewed && reviewed.version === d.doc.version ? reviewed : undefined;
    const lenses: CodeLens[] = [];
    const args: PatchReviewParams = { uri: d.uri, ...target };
    patches.forEach((p, pi) => {
      for (const f of p.files) {
        for (const h of f.hunks) {
          const fns = hunkFunctions(h);
          const races = new Set(fns.flatMap((fn) => racesOf(fn).map((r) => r.scenario.name)));
          if (!races.size) continue;
          const line = Math.max(0, h.at.line - 1);
          const range = { start: { line, character: 0 }, end: { line, character: 0 } };
          const titles = current ? this.resultTitles(current, pi, h, fns) : [`▶ Review: ${races.size} race${races.size === 1 ? '' : 's'} reach${races.size === 1 ? 'es' : ''} this hunk`];
          for (const title of titles) lenses.push({ range, command: { title, command: REVIEW_COMMAND, arguments: [args] } });
        }
      }
    });
    return lenses;
  }

  private resultTitles(r: Reviewed, patchIndex: number, h: Hunk, fns: string[]): string[] {
    if (r.running) return ['… reviewing'];
    if (r.error || !r.json) return [`! review failed: ${r.error ?? 'no answer'}`];
    const hunk = r.json.patches[patchIndex]?.hunks.find((x) => x.at.endsWith(`:${h.at.line}`));
    if (hunk && !hunk.applied) return [`✗ not applied: ${hunk.why ?? ''}`.slice(0, 160)];
    const fn = hunk?.function ?? fns[0];
    // what changed first: a break, then a fix, then the rest
    const races = r.json.races.filter((x) => x.patch === patchIndex + 1 && (x.reaches.includes(fn ?? '') || fns.some((f) => x.reaches.includes(f))))
      .sort((a, b) => CHANGE_ORDER.indexOf(a.change) - CHANGE_ORDER.indexOf(b.change));
    // races that reach the hunk but whose scenarios start at a later release than the era: named, not judged
    const notRun = (r.json.notRun ?? []).filter((x) => x.patch === patchIndex + 1 && (x.reaches.includes(fn ?? '') || fns.some((f) => x.reaches.includes(f))));
    const notRunTitle = notRun.length ? [`${notRun.length} not run in ${notRun[0]!.era}, older than their scenarios: ${notRun.map((x) => x.scenario).join(', ')}`] : [];
    if (!races.length) return notRunTitle.length ? notRunTitle : ['✓ no race reaches this hunk'];
    return [...races.map((x) => {
      const moved = x.invariants.filter((i) => i.change !== 'holds');
      const shown = moved.length ? moved : x.invariants.slice(0, 1);
      return `${x.scenario} ${x.era}: ${shown.map((i) => `${MARK[i.before] ?? ''} ${i.name} → ${MARK[i.after] ?? ''} ${i.after}`).join('; ')} (${x.change})`;
    }), ...notRunTitle];
  }
}
