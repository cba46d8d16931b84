/** Values of C integer and character literals. */
import { ownTable } from '../sim/own-table.js';

/**
 * An integer literal's value: decimal, 0x hex, 0b binary, leading-0 octal, with any
 * u/l suffixes and ' digit separators. Floating literals give their (truncated) value
 * and `integral: false`. Values beyond 2^53 lose precision (they are only compared
 * against flags in practice).
 */
export function parseNumber(raw: string): { v: number; integral: boolean } | undefined {
  let t = raw.trim().replace(/'/g, '');
  let sign = 1;
  if (t.startsWith('-')) { sign = -1; t = t.slice(1).trim(); }
  else if (t.startsWith('+')) t = t.slice(1).trim();
  const int = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)([uUlLzZ]*)$/.exec(t);
  if (int) {
    const d = int[1];
    let v: number;
    if (/^0[xX]/.test(d)) v = parseInt(d.slice(2), 16);
    else if (/^0[bB]/.test(d)) v = parseInt(d.slice(2), 2);
    else if (d.length > 1 && d.startsWith('0')) v = /^[0-7]+$/.test(d) ? parseInt(d, 8) : NaN;
    else v = parseInt(d, 10);
    return Number.isFinite(v) ? { v: sign * v, integral: true } : undefined;
  }
  const f = Number.parseFloat(t.replace(/[fFlL]+$/, ''));
  if (/^[0-9.]/.test(t) && Number.isFinite(f)) return { v: sign * Math.trunc(f), integral: false };
  return undefined;
}

const ESCAPES: Record<string, number> = ownTable({
  n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63, e: 27,
});

/** A character literal's value ('a', '\n', '\x41', '\101'); the first character for multi-char. */
export function parseChar(raw: string): number | undefined {
  const m = /^[LuU]?8?'(.*)'$/s.exec(raw.trim());
  if (!m) return undefined;
  const body = m[1];
  if (body.length === 0) return undefined;
  if (body[0] !== '\\') return body.codePointAt(0);
  const rest = body.slice(1);
  if (/^x[0-9a-fA-F]+/.test(rest)) return parseInt(/^x([0-9a-fA-F]+)/.exec(rest)![1], 16);
  if (/^[0-7]{1,3}/.test(rest)) return parseInt(/^([0-7]{1,3})/.exec(rest)![1], 8);
  const e = ESCAPES[rest[0] ?? ''];
  return e;
}
