/**
 * Reading an input file (a scenario, a --src file, a lift cache entry) without trusting
 * what the path names: only a regular file is read, and only up to a size limit, so a
 * device (/dev/zero), a FIFO or a huge file gives an error at once instead of filling
 * memory or blocking.
 */
import * as fs from 'node:fs';

export class InputFileError extends Error {
  constructor(readonly file: string, readonly why: string) {
    super(`${file}: ${why}`);
  }
}

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many levels of symbolic links',
  ENOTDIR: 'a part of the path is not a directory',
  ENAMETOOLONG: 'file name too long',
  EISDIR: 'a directory',
};

/**
 * The bytes of a regular file, at most `maxBytes` of them; anything else throws an
 * InputFileError whose message names the file (`shown`) and says what is wrong.
 * The file is opened non-blocking, so a FIFO is seen for what it is, not waited on.
 */
export function readRegularBytes(file: string, maxBytes: number, shown: string = file): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new InputFileError(shown, Object.hasOwn(ERRNO_TEXT, code) ? ERRNO_TEXT[code]! : `cannot open (${code || 'error'})`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new InputFileError(shown, `${kindOf(st)}, not a regular file`);
    if (st.size > maxBytes) throw new InputFileError(shown, `${sizeText(st.size)}, larger than the limit of ${sizeText(maxBytes)}`);
    // the file may grow while it is read: read at most one byte past the limit to see it
    const buf = Buffer.alloc(Math.min(maxBytes + 1, st.size + 1));
    let got = 0;
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buf, got, buf.length - got, null);
      } catch (err) {
        throw new InputFileError(shown, `cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      if (n === 0) break;
      got += n;
      if (got === buf.length) {
        if (got > maxBytes) throw new InputFileError(shown, `larger than the limit of ${sizeText(maxBytes)}`);
        break;
      }
    }
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

/** readRegularBytes as UTF-8 text. */
export function readRegularFile(file: string, maxBytes: number, shown: string = file): string {
  return readRegularBytes(file, maxBytes, shown).toString('utf8');
}
