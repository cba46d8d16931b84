/** Human text for a step's effect: the locations it changed, grouped by object. */
import type { Value } from './program.js';

export type Change = [key: string, from: Value, to: Value];

function version(v: Value): string {
  return `v${v ?? 0}`;
}

/** "pg:P.dirty" 1→0 becomes ["P", "-dirty"]. */
function phrase([k, from, to]: Change): [string, string] {
  const colon = k.indexOf(':');
  const space = k.slice(0, colon);
  const rest = k.slice(colon + 1);
  const dot = rest.lastIndexOf('.');
  const obj = rest.slice(0, dot);
  const field = rest.slice(dot + 1);
  const flag = (name: string) => (to ? `+${name}` : `-${name}`);
  switch (space) {
    case 'pg':
      if (field === 'mapping') return [obj, to === null ? 'removed from page cache' : `mapping=${String(to).replace('mapping:', '')}`];
      if (field === 'ref') return [obj, `ref ${from}→${to}`];
      if (field === 'freed') return [obj, to ? 'FREED' : 'reallocated'];
      if (field === 'bufs') return [obj, to === null ? 'private=NULL' : `private=${String(to).replace('bh:', '')}`];
      return [obj, flag(field)];
    case 'mem':
      return [`mem ${obj}[${field}]`, `=${version(to)}`];
    case 'tag': {
      const [file, tag] = obj.split('.');
      return [`${file} tags`, `${to ? '+' : '-'}${tag}(${field})`];
    }
    case 'bh':
      if (field === 'end_io') return [`bh ${obj}`, to === null ? 'end_io=NULL' : `end_io=${String(to).replace('fn:', '')}`];
      if (field === 'page') return [`bh ${obj}`, `b_page ${String(from).replace('page:', '')}→${String(to).replace('page:', '')}`];
      return [`bh ${obj}`, flag(field)];
    case 'pte':
      return [`pte ${obj}`, flag(field)];
    case 'disk':
      return [`disk ${rest}`, `=${version(to)}`];
    case 'upd':
      return [`block ${rest}`, `updated through its buffer: ${version(to)}`];
    case 'lock':
      return [rest, to === null ? 'unlocked' : `held by ${to}`];
    case 'wq':
      return [`waitq ${rest}`, `[${to}]`];
    case 'fld': {
      // a plain field, "inode/F.i_size"; a thread's own wbc, "wbc/none@P0", is that thread's (its column says which)
      const [kind, id] = [obj.slice(0, obj.indexOf('/')), obj.slice(obj.indexOf('/') + 1)];
      return [`${kind} ${kind === 'wbc' ? id.replace(/@.*$/, '') : id}`, `${field} ${from}→${to}`];
    }
    default:
      return [k, `${from}→${to}`];
  }
}

/** Locations that are bookkeeping rather than state a kernel developer reads. */
function hidden(k: string): boolean {
  return k.startsWith('dmax:') || k.startsWith('ver:') || k.startsWith('dio:');
}

export function describeChanges(changes: readonly Change[]): string {
  const groups = new Map<string, string[]>();
  for (const c of changes) {
    if (hidden(c[0])) continue;
    const [obj, text] = phrase(c);
    const list = groups.get(obj) ?? [];
    list.push(text);
    groups.set(obj, list);
  }
  return [...groups].map(([obj, texts]) => `${obj} ${texts.join(' ')}`).join('; ');
}
