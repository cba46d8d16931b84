/**
 * The fixed shape of a scenario's objects: which pages belong to which file, how
 * many buffers each page has, which mappings map which pages. It never changes while
 * a scenario runs, so it is shared by every state and never hashed; everything that
 * does change lives in the flat `World` (world.ts).
 */
import type { OpsTables } from './program.js';

export interface PageSpec {
  name: string;
  index: number;
  uptodate?: boolean;
  dirty?: boolean;
  writeback?: boolean;
  locked?: boolean;
  /** number of buffer_heads (0 = no buffers attached) */
  buffers?: number;
  /** buffers are delayed-allocation (BH_Delay, not mapped) */
  delalloc?: boolean;
  /** one GUP pin is held (GUP_PIN_COUNTING_BIAS references) */
  pinned?: boolean;
  /** not in the page cache: a free page, the target of a migration */
  free?: boolean;
  /** not in the page cache when the scenario starts: page->mapping NULL, no reference */
  absent?: boolean;
  /** a tail page of the compound page whose head is this page (the setup's `tail H`) */
  tailOf?: string;
}

export interface FileSpec {
  name: string;
  pages: PageSpec[];
}

export interface PteSpec {
  page: string;
  present?: boolean;
  writable?: boolean;
  dirty?: boolean;
}

export interface MmapSpec {
  name: string;
  file: string;
  shared: boolean;
  ptes: PteSpec[];
}

export interface SetupSpec {
  /** a_ops table name for every file (chosen from the scenario's filesystem) */
  aops: string;
  /** vm_operations_struct table of the files' mappings, when the model set defines one */
  vmops?: string;
  /** file_operations table of the files (->write_iter: an O_DIRECT write since ext4 went through iomap), when the model set defines one */
  fops?: string;
  /** filesystem name and options, kept for models that ask (journal mode) */
  fs: { name: string; options: Record<string, string> };
  files: FileSpec[];
  mmaps: MmapSpec[];
}

export interface PageInfo {
  id: string;
  file: string;
  index: number;
  /** buffer ids in ring order; empty when the page has no buffers */
  buffers: string[];
  /** number of disk blocks the page covers (= buffers, or 1) */
  blocks: number;
  /**
   * Compound pages (large folios) as data: a head lists its pages in order (itself,
   * then head + 1, ...), a tail names its head. A page outside any compound has neither.
   */
  compound?: string[];
  head?: string;
}

export interface BufferInfo {
  id: string;
  page: string;
  n: number;
  next: string;
}

export interface FileInfo {
  id: string;
  aops: string;
  vmops?: string;
  fops?: string;
  pages: string[];
}

export interface VmaInfo {
  id: string;
  file: string;
  shared: boolean;
  pages: string[];
}

export interface Layout {
  pages: Map<string, PageInfo>;
  buffers: Map<string, BufferInfo>;
  files: Map<string, FileInfo>;
  vmas: Map<string, VmaInfo>;
  ops: OpsTables;
  fs: { name: string; options: Record<string, string> };
  /** the threads that run as kswapd (current_is_kswapd(): the CPUs labelled kswapd) */
  kswapd?: ReadonlySet<string>;
}

export function buildLayout(setup: SetupSpec, ops: OpsTables): Layout {
  const layout: Layout = {
    pages: new Map(), buffers: new Map(), files: new Map(), vmas: new Map(), ops, fs: setup.fs,
  };
  for (const file of setup.files) {
    const sorted = [...file.pages].sort((a, b) => a.index - b.index);
    layout.files.set(file.name, { id: file.name, aops: setup.aops, ...(setup.vmops ? { vmops: setup.vmops } : {}), ...(setup.fops ? { fops: setup.fops } : {}), pages: sorted.map((p) => p.name) });
    for (const page of sorted) {
      const n = page.buffers ?? 0;
      const buffers = Array.from({ length: n }, (_, i) => `${page.name}.${i}`);
      // a free page covers the blocks of the cached page at its index, whose place it may take
      const twin = page.free ? sorted.find((p) => p.index === page.index && !p.free) : undefined;
      const blocks = Math.max(1, n, twin?.buffers ?? 0);
      layout.pages.set(page.name, { id: page.name, file: file.name, index: page.index, buffers, blocks });
      buffers.forEach((id, i) => {
        layout.buffers.set(id, { id, page: page.name, n: i, next: buffers[(i + 1) % n] });
      });
    }
  }
  for (const file of setup.files) {
    for (const page of file.pages) {
      if (page.tailOf === undefined) continue;
      const head = layout.pages.get(page.tailOf);
      if (!head) throw new Error(`page ${page.name} is a tail of ${page.tailOf}, which is not a page of file ${file.name}`);
      head.compound ??= [head.id];
      head.compound[page.index - head.index] = page.name;
      layout.pages.get(page.name)!.head = head.id;
    }
  }
  for (const m of setup.mmaps) {
    layout.vmas.set(m.name, { id: m.name, file: m.file, shared: m.shared, pages: m.ptes.map((p) => p.page) });
  }
  return layout;
}

/** The pages of the compound page `id` heads, in order (head first), or undefined when it heads none. */
export function compoundOf(layout: Layout, id: string): readonly string[] | undefined {
  return layout.pages.get(id)?.compound;
}
