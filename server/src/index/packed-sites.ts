/**
 * Call sites packed four int32 to a site (the name's index in a table, line, column,
 * offset): a kernel tree has tens of thousands of catalog call sites, and as objects
 * they cost the server's thread a structured clone per batch from the index worker, then
 * a copy at each young-generation collection until they are promoted; a packed batch
 * crosses threads as one transferred buffer and lives outside the JS heap.
 */
import type { NameSite } from './scan.js';

export interface PackedSites {
  /** the names the sites index, shared by the files of one batch */
  names: readonly string[];
  /** name index, line, column, offset: four per site */
  sites: Int32Array;
}

/** Builds a batch's packed sites: `add` a file's sites, then `take` the table and the buffer. */
export class SitePacker {
  private readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  private values: number[] = [];

  /** Adds `list`; returns where its sites start and how many there are. */
  add(list: readonly NameSite[]): [start: number, count: number] {
    const start = this.values.length / 4;
    for (const s of list) {
      let id = this.ids.get(s.name);
      if (id === undefined) {
        id = this.names.length;
        this.names.push(s.name);
        this.ids.set(s.name, id);
      }
      this.values.push(id, s.line, s.column, s.offset);
    }
    return [start, list.length];
  }

  take(): PackedSites {
    const sites = Int32Array.from(this.values);
    this.values = [];
    return { names: this.names, sites };
  }
}

/** `list` alone, packed. */
export function packSites(list: readonly NameSite[]): PackedSites {
  const p = new SitePacker();
  p.add(list);
  return p.take();
}

/** The sites of one file in a batch: a view on the batch's buffer, no copy. */
export function sliceSites(batch: PackedSites, start: number, count: number): PackedSites {
  return { names: batch.names, sites: batch.sites.subarray(start * 4, (start + count) * 4) };
}

export function siteCount(p: PackedSites): number {
  return p.sites.length / 4;
}

/** The sites named `name` (every site when none is given), as objects. */
export function unpackSites(p: PackedSites, name?: string): NameSite[] {
  const out: NameSite[] = [];
  const want = name === undefined ? -1 : p.names.indexOf(name);
  if (name !== undefined && want < 0) return out;
  for (let i = 0; i < p.sites.length; i += 4) {
    if (want >= 0 && p.sites[i] !== want) continue;
    out.push({ name: p.names[p.sites[i]], line: p.sites[i + 1], column: p.sites[i + 2], offset: p.sites[i + 3] });
  }
  return out;
}
