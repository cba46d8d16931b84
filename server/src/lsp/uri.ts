/** Just enough of a URI to tell schemes and paths apart, for any scheme a client sends. */
export interface ParsedUri {
  scheme: string;
  path: string;
  query: string;
}

export const URI = {
  parse(uri: string): ParsedUri | undefined {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):(?:\/\/[^/?#]*)?([^?#]*)(?:\?([^#]*))?/.exec(uri);
    if (!m) return undefined;
    let p = m[2];
    try {
      p = decodeURIComponent(p);
    } catch { /* keep it as sent */ }
    return { scheme: m[1].toLowerCase(), path: p, query: m[3] ?? '' };
  },
};
