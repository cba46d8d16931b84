/**
 * Mail and archive text to the blocks that may hold diffs: an mbox is split into
 * messages, headers are read (Subject, From, quoted-printable bodies), and a body is
 * cut into runs of lines at one `> ` quoting depth, the quote marks removed. Every
 * line keeps its line in the input.
 */
import { PatchInputError, type PatchPlace } from './types.js';

export interface TextBlock {
  lines: string[];
  /** the input line (1-based) of each line */
  lineNos: number[];
  depth: number;
  subject: string;
  from?: string;
  file: string;
}

/** An mbox separator: `From addr  Mon Jan  1 00:00:00 2024` (b4, git format-patch, archives). */
const MBOX_FROM = /^From \S+ +(?:\S{3} \S{3} [ \d]\d \d\d:\d\d:\d\d \d{4}|\S.*\d{4})\s*$/;
const HEADER = /^([A-Za-z][A-Za-z0-9-]*):(.*)$/;
/** How deep a line is quoted: `> `, `>> `, `> > > `. */
const QUOTE = /^((?:>[ \t]?)+)/;

/** The blocks of one input's text. Throws PatchInputError for binary or empty input. */
export function textBlocks(raw: string, file: string): TextBlock[] {
  const nul = raw.indexOf('\0');
  if (nul >= 0) throw new PatchInputError({ file, line: lineAt(raw, nul) }, 'binary data (a NUL byte), not a patch or a mail');
  if (raw.trim() === '') throw new PatchInputError({ file, line: 1 }, 'empty input: no patch');
  const lines = raw.split(/\r?\n|\r/);
  const blocks: TextBlock[] = [];
  for (const msg of messages(lines)) {
    const { headers, bodyStart } = readHeaders(lines, msg.start, msg.end);
    let body = lines.slice(bodyStart, msg.end);
    let nos = body.map((_, i) => bodyStart + i + 1);
    if (/quoted-printable/i.test(headers.get('content-transfer-encoding') ?? '')) ({ lines: body, lineNos: nos } = decodeQuotedPrintable(body, nos));
    const subject = cleanSubject(headers.get('subject') ?? firstWords(body));
    const from = headers.get('from');
    blocks.push(...quoteRuns(body, nos).map((r) => ({ ...r, subject, file, ...(from ? { from: from.trim() } : {}) })));
  }
  return blocks;
}

export function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Message ranges of an mbox; a text with no separator is one message. */
function messages(lines: string[]): { start: number; end: number }[] {
  const starts: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    // a separator is followed by a header line: "From " inside a body stays body
    if (MBOX_FROM.test(lines[i]) && HEADER.test(lines[i + 1] ?? '')) starts.push(i);
  }
  if (!starts.length || starts[0] !== 0 && lines.slice(0, starts[0]).some((l) => l.trim())) starts.unshift(-1);
  return starts.map((s, k) => ({ start: s + 1, end: k + 1 < starts.length ? starts[k + 1] : lines.length }));
}

/** Headers when the message starts with some (folded lines joined), and where its body starts. */
function readHeaders(lines: string[], start: number, end: number): { headers: Map<string, string>; bodyStart: number } {
  const headers = new Map<string, string>();
  let i = start;
  let last: string | undefined;
  // a message's first line is a header only if it says which (From:, Subject:, Date:, ...)
  if (!/^(From|Subject|Date|To|Cc|Message-I[Dd]|Return-Path|Received|X-[\w-]+|MIME-Version|Content-[\w-]+|In-Reply-To|References):/i.test(lines[i] ?? '')) return { headers, bodyStart: start };
  for (; i < end; i++) {
    const l = lines[i];
    if (l === '') return { headers, bodyStart: i + 1 };
    const m = HEADER.exec(l);
    if (m) {
      last = m[1].toLowerCase();
      headers.set(last, (headers.get(last) ? headers.get(last) + ', ' : '') + decodeWords(m[2].trim()));
    } else if (/^[ \t]/.test(l) && last) {
      headers.set(last, headers.get(last) + ' ' + decodeWords(l.trim()));
    } else {
      // not a header block after all (an archive page's first lines)
      return { headers: new Map(), bodyStart: start };
    }
  }
  return { headers, bodyStart: end };
}

/** RFC 2047 encoded words (=?utf-8?q?...?=, =?utf-8?b?...?=) in a header. */
function decodeWords(s: string): string {
  return s.replace(/=\?([^?]+)\?([qQbB])\?([^?]*)\?=/g, (_, _cs: string, enc: string, data: string) => {
    if (enc.toLowerCase() === 'b') return Buffer.from(data, 'base64').toString('utf8');
    return Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  });
}

/** Soft line breaks (`=` at the end) join lines; `=XX` are bytes (UTF-8 as a whole). */
function decodeQuotedPrintable(body: string[], nos: number[]): { lines: string[]; lineNos: number[] } {
  const lines: string[] = [];
  const lineNos: number[] = [];
  let acc = '';
  let accNo = -1;
  for (let i = 0; i < body.length; i++) {
    const l = body[i];
    if (accNo < 0) accNo = nos[i];
    const soft = l.endsWith('=');
    acc += soft ? l.slice(0, -1) : l;
    if (!soft || i === body.length - 1) {
      const bytes = Buffer.from(acc.replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      lines.push(bytes.toString('utf8'));
      lineNos.push(accNo);
      acc = '';
      accNo = -1;
    }
  }
  return { lines, lineNos };
}

function cleanSubject(s: string): string {
  return s.replace(/\[PATCH[^\]]*\]\s*/i, '').trim();
}

/** A text with no Subject header is named by its first line: up to a flattened quote's ` > `, at most 80 characters, cut between words. */
function firstWords(body: string[]): string {
  const first = (body.find((l) => l.trim() && !QUOTE.test(l)) ?? body.find((l) => l.trim()) ?? '').trim();
  const head = first.split(' > ')[0];
  return head.length <= 80 ? head : head.slice(0, 80).replace(/\s+\S*$/, '') + ' …';
}

/** Runs of lines at one quoting depth, quote marks removed. */
function quoteRuns(body: string[], nos: number[]): Omit<TextBlock, 'subject' | 'file' | 'from'>[] {
  const out: Omit<TextBlock, 'subject' | 'file' | 'from'>[] = [];
  let cur: Omit<TextBlock, 'subject' | 'file' | 'from'> | undefined;
  for (let i = 0; i < body.length; i++) {
    const m = QUOTE.exec(body[i]);
    const depth = m ? (m[1].match(/>/g) ?? []).length : 0;
    // each `>` takes one space after it: a quoted context line keeps its own leading space
    const text = m ? body[i].slice(m[1].length) : body[i];
    if (!cur || cur.depth !== depth) {
      cur = { lines: [], lineNos: [], depth };
      out.push(cur);
    }
    cur.lines.push(text);
    cur.lineNos.push(nos[i]);
  }
  return out;
}

export function placeOf(block: TextBlock, index: number): PatchPlace {
  return { file: block.file, line: block.lineNos[Math.min(index, block.lineNos.length - 1)] ?? 1 };
}
