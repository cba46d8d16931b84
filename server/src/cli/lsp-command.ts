/** `racelens lsp --stdio`: runs the language server until the client exits it. */
export const LSP_HELP = `Usage: racelens lsp --stdio
Runs the racelens language server over stdin/stdout (LSP). Any LSP client can start
it: VS Code through the racelens extension, Neovim, Emacs, Helix.
`;

export async function lspCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(LSP_HELP);
    return 0;
  }
  if (!argv.includes('--stdio')) {
    process.stderr.write(`racelens lsp: only --stdio is supported\n\n${LSP_HELP}`);
    return 2;
  }
  const { startServer } = await import('../lsp/main.js');
  // the connection keeps the process alive; it exits on the client's `exit`
  await startServer();
  return 0;
}
