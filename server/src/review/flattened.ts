/**
 * A mail flattened onto one line (an archive lost every newline): file headers and
 * `@@` headers are found in the line, and each hunk's body is cut at `+`/`-` marks
 * that follow whitespace. A segment then runs from one mark to the next and may go on
 * into the context line after it; apply.ts recovers the hunk by matching its token
 * stream against the function it touches.
 */
import { treePath } from './parse.js';
import { placeOf, type TextBlock } from './mail.js';
import type { FilePatch, Hunk, Segment } from './types.js';

const FILE_HEADER = /(?:^|\s)--- (\S+)(?:\s+\d{4}-\d\d-\d\d[\d:. ]*[+-]\d{4})?\s+\+\+\+ (\S+)(?:\s+\d{4}-\d\d-\d\d[\d:. ]*[+-]\d{4})?/g;
const HUNK = /@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/g;
const MARK = /(^|\s)([+-])(?=[\s\S])/g;

export function parseFlattened(block: TextBlock): FilePatch[] {
  const out: FilePatch[] = [];
  block.lines.forEach((line, li) => {
    const at = placeOf(block, li);
    const heads = [...line.matchAll(FILE_HEADER)];
    heads.forEach((fh, k) => {
      const start = fh.index! + fh[0].length;
      const end = k + 1 < heads.length ? heads[k + 1].index! : line.length;
      const body = line.slice(start, end);
      const hunks: Hunk[] = [];
      const hs = [...body.matchAll(HUNK)];
      hs.forEach((h, j) => {
        const text = body.slice(h.index! + h[0].length, j + 1 < hs.length ? hs[j + 1].index! : body.length);
        hunks.push({
          oldStart: Number(h[1]), oldLines: h[2] === undefined ? 1 : Number(h[2]),
          newStart: Number(h[3]), newLines: h[4] === undefined ? 1 : Number(h[4]),
          context: '', segments: segments(text, at), form: 'flattened', at,
        });
      });
      const deleted = fh[2] === '/dev/null';
      if (hunks.length) out.push({ path: treePath(deleted ? fh[1] : fh[2]), oldName: fh[1], newName: fh[2], hunks, at, ...(fh[1] === '/dev/null' ? { created: true } : {}), ...(deleted ? { deleted } : {}) });
    });
  });
  return out;
}

/**
 * Inside a comment only a mark before the comment's leading star begins a line (the rest is the
 * comment's own ` - ` text).
 */
function segments(text: string, at: Segment['at']): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  let kind: Segment['kind'] = 'ctx';
  let commentKind: Segment['kind'] | undefined;
  let scanned = 0;
  const scanComments = (to: number): void => {
    for (let i = scanned; i < to - 1; i++) {
      if (!commentKind && text[i] === '/' && text[i + 1] === '*') { commentKind = kind; i++; }
      else if (commentKind && text[i] === '*' && text[i + 1] === '/') { commentKind = undefined; i++; }
    }
    scanned = Math.max(scanned, to - 1);
  };
  for (const m of text.matchAll(MARK)) {
    const markAt = m.index! + m[1].length;
    scanComments(markAt);
    const markKind = m[2] === '-' ? 'del' : 'add';
    // inside a comment a mark begins a line only before the comment's ` * ` or ` */`
    if (commentKind && !/^\s*\*/.test(text.slice(markAt + 1, markAt + 8))) continue;
    if (markAt > last || kind !== 'ctx') out.push({ kind, text: text.slice(last, markAt).trim(), at });
    kind = markKind;
    last = markAt + 1;
  }
  out.push({ kind, text: text.slice(last).trim(), at });
  return out.filter((s) => s.kind !== 'ctx' || s.text !== '');
}
