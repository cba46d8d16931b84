/**
 * Markdown from text that came from a file or a table: every character markdown could
 * read as syntax is escaped, and angle brackets become entities, so no source text
 * turns into a link, an image, HTML or a `command:` URI.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+\-.!|~:])/g, '\\$1');
}

/** Inline code that cannot be closed early by a backtick in the text. */
export function inlineCode(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${clean.startsWith('`') || clean.endsWith('`') ? ` ${clean} ` : clean}${fence}`;
}
