/**
 * A temporary copy of the real 6.1 tree made a git repository, so that patches are
 * real `git format-patch` output. The copy is hard links (the runs read every file of
 * mm/, fs/, include/ and their Makefiles, and the lift cache knows them by inode);
 * the files a patch edits are copied for real before anything writes them, so the
 * cached tree is never changed, and only they are tracked by git.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface GitTree {
  root: string;
  /** the text of a tracked file at the base commit */
  base(file: string): string;
  /** commits an edit of tracked files; returns the commit's format-patch mail */
  commit(subject: string, edits: Record<string, (text: string) => string>): string;
  /** puts the tracked files back to the base commit (the tree the reviews run on) */
  reset(): void;
  remove(): void;
}

const git = (root: string, args: string[]): string => execFileSync('git', args, {
  cwd: root, encoding: 'utf8',
  env: { ...process.env, GIT_AUTHOR_NAME: 'Racelens Test', GIT_AUTHOR_EMAIL: 'test@racelens.invalid', GIT_COMMITTER_NAME: 'Racelens Test', GIT_COMMITTER_EMAIL: 'test@racelens.invalid', GIT_AUTHOR_DATE: '2026-12-06T12:00:00Z', GIT_COMMITTER_DATE: '2026-12-06T12:00:00Z' },
});

export function gitTree(tree: string, tracked: readonly string[]): GitTree {
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-review-tree-')), 'linux');
  execFileSync('cp', ['-al', tree, root]);
  for (const f of tracked) {
    const abs = path.join(root, f);
    const text = fs.readFileSync(abs);
    fs.unlinkSync(abs);
    fs.writeFileSync(abs, text);
  }
  git(root, ['init', '-q']);
  git(root, ['add', '-f', '--', ...tracked]);
  git(root, ['commit', '-qm', 'base']);
  const baseCommit = git(root, ['rev-parse', 'HEAD']).trim();
  return {
    root,
    base: (file) => git(root, ['show', `${baseCommit}:${file}`]),
    commit(subject, edits) {
      for (const [file, edit] of Object.entries(edits)) {
        const abs = path.join(root, file);
        const text = fs.readFileSync(abs, 'utf8');
        const changed = edit(text);
        if (changed === text) throw new Error(`the edit of ${file} for '${subject}' changes nothing`);
        fs.writeFileSync(abs, changed);
      }
      git(root, ['commit', '-qam', subject]);
      return git(root, ['format-patch', '-1', '--stdout', 'HEAD']);
    },
    reset() {
      git(root, ['checkout', '-q', baseCommit, '--', ...tracked]);
    },
    remove() {
      fs.rmSync(path.dirname(root), { recursive: true, force: true });
    },
  };
}

/** A patch's text as an archive page shows it (seed 001): indentation gone, `-`/`+` followed by one space, blank context lines dropped. */
export function mangle(mail: string): string {
  const out: string[] = [];
  let inHunk = false;
  for (const line of mail.split('\n')) {
    if (line.startsWith('@@')) inHunk = true;
    else if (line.startsWith('diff --git') || line === '-- ') inHunk = false;
    if (!inHunk || line.startsWith('@@')) {
      out.push(line);
      continue;
    }
    const mark = line[0];
    const body = line.slice(1).trim();
    if (mark === '-' || mark === '+') out.push(body ? `${mark} ${body}` : mark);
    else if (body) out.push(body);
  }
  return out.join('\n');
}

/** A reply quoting the mail with `> `, words of its own before and after. */
export function quoteInReply(mail: string, depth = 1): string {
  const q = '> '.repeat(depth);
  return ['On Sun, 6 Dec 2026, Racelens Test wrote:', ...mail.split('\n').map((l) => (l ? q + l : q.trimEnd())), '', 'Looks fine to me, but see the race below.', ''].join('\n');
}
