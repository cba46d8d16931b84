/**
 * The syntax tree of a `.race` scenario. Every node keeps its source range so the
 * language server can put diagnostics, hovers and code lenses on the exact text
 * without re-parsing. A `RaceFile` is only handed out when the file had no errors,
 * so consumers may rely on every reference in it being resolved.
 */

/** 1-based line and column; columns count UTF-16 code units, tabs count as one. */
export interface Position {
  line: number;
  column: number;
}

/** `end` is exclusive: the position just past the last character of the node. */
export interface Range {
  start: Position;
  end: Position;
}

export interface FixedBy {
  commit: string;
  version: string;
  range: Range;
  commitRange: Range;
  versionRange: Range;
}

export interface FsDecl {
  name: string;
  options: Record<string, string>;
  range: Range;
  nameRange: Range;
}

/** Page state at the start of every interleaving. Absent words are false. */
export interface PageFlags {
  uptodate: boolean;
  dirty: boolean;
  writeback: boolean;
  locked: boolean;
  /** Applies to the page's buffers, so it needs `buffers N`. */
  delalloc: boolean;
  /** A GUP pin (pin_user_pages, FOLL_PIN) is held on the page: GUP_PIN_COUNTING_BIAS on its refcount. */
  pinned: boolean;
  /** Not in the page cache: a free page at the file's index, the target of a migration. */
  free: boolean;
  /** Not in the page cache yet: a buffered write (the harness's write()) adds it. */
  absent: boolean;
}

export const PAGE_FLAG_WORDS: readonly (keyof PageFlags)[] = [
  'uptodate', 'dirty', 'writeback', 'locked', 'delalloc', 'pinned', 'free', 'absent',
];

export interface PageDecl {
  name: string;
  /** The file whose page cache holds this page. */
  file: string;
  index: number;
  /** Number of buffer_heads attached; 0 means the page has none. */
  buffers: number;
  flags: PageFlags;
  /** A tail page of a compound page (a large folio): the name of its head page (`tail H`). */
  tailOf?: string;
  range: Range;
  nameRange: Range;
}

export interface FileDecl {
  name: string;
  pages: PageDecl[];
  range: Range;
  nameRange: Range;
}

/** The PTE of one page in a mapping; pages a mapping does not list have no PTE. */
export interface PteDecl {
  page: string;
  present: boolean;
  writable: boolean;
  dirty: boolean;
  range: Range;
  pageRange: Range;
}

export const PTE_WORDS: readonly string[] = [
  'present', 'absent', 'readonly', 'writable', 'clean', 'dirty',
];

export interface MmapDecl {
  name: string;
  file: string;
  shared: boolean;
  ptes: PteDecl[];
  range: Range;
  nameRange: Range;
  fileRange: Range;
}

export interface Setup {
  fs?: FsDecl;
  files: FileDecl[];
  mmaps: MmapDecl[];
  range: Range;
}

/** 'cpu': a CPU block named as an argument (`kill(P1)`): the task that CPU runs. */
export type ObjectKind = 'file' | 'page' | 'mmap' | 'cpu';

/** A setup object named by its identifier. */
export interface ObjectArg {
  kind: 'object';
  name: string;
  /** Filled in by name resolution; always set on a returned `RaceFile`. */
  objectKind: ObjectKind;
  range: Range;
}

export interface IntArg {
  kind: 'int';
  value: number;
  range: Range;
}

/** `U[P]`: the PTE that maps page P in mapping U. */
export interface PteArg {
  kind: 'pte';
  mmap: string;
  page: string;
  range: Range;
  mmapRange: Range;
  pageRange: Range;
}

export type Arg = ObjectArg | IntArg | PteArg;

export interface Call {
  name: string;
  args: Arg[];
  range: Range;
  nameRange: Range;
}

export interface CpuBlock {
  /** `P0`, `P1`, ... */
  name: string;
  index: number;
  label: string;
  calls: Call[];
  range: Range;
  nameRange: Range;
  labelRange: Range;
}

export interface Check {
  id: string;
  range: Range;
}

export type Verdict = 'holds' | 'violated' | 'incomplete';

export interface Expect {
  /** The era spec as written: `5.10+hugh`. */
  eraSpec: string;
  era: string;
  overlays: string[];
  fs?: string;
  verdict: Verdict;
  /** Only for `violated`; never empty then. */
  invariants: string[];
  range: Range;
  eraSpecRange: Range;
  eraRange: Range;
  overlayRanges: Range[];
  fsRange?: Range;
  invariantRanges: Range[];
}

export interface RaceFile {
  name: string;
  title: string;
  /** Source documents the scenario was written from. */
  from: string[];
  fromRanges: Range[];
  fixedBy: FixedBy[];
  /** The default era. */
  era: string;
  eraRange: Range;
  setup: Setup;
  /** Ordered by index: cpus[i].name === `P${i}`. */
  cpus: CpuBlock[];
  /** Runs after every CPU block has finished; empty when the file has no `final`. */
  final: Call[];
  finalRange?: Range;
  checks: Check[];
  expects: Expect[];
  /** The `race NAME "TITLE"` line. */
  range: Range;
  nameRange: Range;
}
