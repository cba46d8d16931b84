/**
 * A patch as review reads it: files, hunks, and each hunk's lines, every one keeping
 * the place in the input it came from (file:line) for messages.
 */

/** Where a piece of the patch was read: the input's name and 1-based line. */
export interface PatchPlace {
  file: string;
  line: number;
}

export type SegmentKind = 'ctx' | 'del' | 'add';

/**
 * One line of a hunk. In a flattened mail (the archive lost every newline) a segment
 * is the text from one `+`/`-` marker to the next, and may run on into context lines.
 */
export interface Segment {
  kind: SegmentKind;
  text: string;
  at: PatchPlace;
}

export interface Hunk {
  /** the `@@ -a,b +c,d @@` numbers (0 when the header was lost) */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** the text after the second `@@`: usually the enclosing function's first line */
  context: string;
  segments: Segment[];
  /** how the hunk was read: line by line as written, with its whitespace mangled, or from one flattened line */
  form: 'clean' | 'mangled' | 'flattened';
  at: PatchPlace;
}

export interface FilePatch {
  /** the path in the tree, without `a/`, `b/` or a first component (`linux-2.6.8/`) */
  path: string;
  /** the paths as written on the `---` / `+++` lines */
  oldName: string;
  newName: string;
  hunks: Hunk[];
  at: PatchPlace;
  /** a new file (`--- /dev/null`) or a deleted one */
  created?: boolean;
  deleted?: boolean;
}

export interface Patch {
  /** the mail's subject (without `[PATCH n/m]`), or the first words of the text around it */
  subject: string;
  files: FilePatch[];
  at: PatchPlace;
  /** `> ` depth the patch was quoted at (0: not quoted) */
  quoteDepth: number;
  /** the message's author, when a header says it */
  from?: string;
}

/** Bad input: a message naming the input's file and line. */
export class PatchInputError extends Error {
  constructor(readonly at: PatchPlace, message: string) {
    super(`${at.file}:${at.line}: ${message}`);
  }
}
