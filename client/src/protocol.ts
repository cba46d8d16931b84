/**
 * The server's protocol file, seen from the client. One import point, so the bundle
 * and the unbundled build resolve it the same way; the file itself is plain data
 * (no vscode-languageserver import), so the client may load it.
 */
export * from 'racelens-server/out/lsp/protocol.js';
