/**
 * A series applied in order, without writing: each hunk onto the text the patches
 * before it left (an overlay), each file's text after each patch kept as a snapshot
 * so that every patch is judged against the one before it.
 */
import * as fs from 'node:fs';
import { applyHunk, namedFunction, type How } from './apply.js';
import { shownTarget, targetFiles, type Target } from './targets.js';
import type { Patch, PatchPlace } from './types.js';

export interface HunkReport {
  /** the path the patch names */
  file: string;
  function?: string;
  applied: boolean;
  how?: How;
  /** the hunk's place in the patch input */
  at: PatchPlace;
  /** where it went: target file:line */
  target?: string;
  why?: string;
  ambiguous?: boolean;
  note?: string;
}

export interface PatchStep {
  patch: Patch;
  hunks: HunkReport[];
  /** functions the step changed, on either side */
  changed: string[];
  /** every patched file's text after this step (absolute path -> text) */
  texts: Map<string, string>;
}

/** `buffers`: texts read in place of files on disk (an editor's unsaved documents, absolute path -> text). */
export function applySeries(patches: readonly Patch[], target: Target, buffers: ReadonlyMap<string, string> = new Map()): PatchStep[] {
  const steps: PatchStep[] = [];
  let texts = new Map<string, string>();
  for (const patch of patches) {
    texts = new Map(texts);
    const hunks: HunkReport[] = [];
    const changed = new Set<string>();
    for (const file of patch.files) {
      for (const hunk of file.hunks) {
        const fn = namedFunction(hunk);
        const base: HunkReport = { file: file.path, applied: false, at: hunk.at, ...(fn ? { function: fn } : {}) };
        if (!/\.[ch]$/.test(file.path)) {
          hunks.push({ ...base, why: 'not a C file: nothing racelens runs' });
          continue;
        }
        const candidates = targetFiles(target, file.path, fn);
        if (!candidates.length) {
          hunks.push({ ...base, why: target.kind === 'tree' ? `${file.path} is not in the tree ${target.tree}` : `no built-in model of era ${target.era} stands for ${file.path}` });
          continue;
        }
        let report: HunkReport | undefined;
        for (const abs of candidates) {
          const text = texts.get(abs) ?? buffers.get(abs) ?? fs.readFileSync(abs, 'utf8');
          const r = applyHunk(text, hunk);
          if (r.ok) {
            if (r.how !== 'comment-only') texts.set(abs, r.text);
            for (const n of [...r.before, ...r.after]) changed.add(n);
            const function_ = r.before[0] ?? r.after[0] ?? fn;
            report = { ...base, ...(function_ ? { function: function_ } : {}), applied: true, how: r.how, ...(r.how === 'comment-only' ? {} : { target: `${shownTarget(target, abs)}:${r.line}` }), ...(r.note ? { note: r.note } : {}) };
            break;
          }
          report ??= { ...base, why: `${shownTarget(target, abs)}: ${r.why}`, ...(r.ambiguous ? { ambiguous: true } : {}) };
          if (r.ambiguous) break;
        }
        hunks.push(report!);
      }
    }
    steps.push({ patch, hunks, changed: [...changed].sort(), texts });
  }
  return steps;
}
