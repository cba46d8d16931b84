/**
 * Shared `.race` texts and the "known world" the scenario tests parse against.
 */

export const ERAS = ['2.6.19', '2.6.20', '5.10', '6.1'] as const;
export const OVERLAYS = ['hugh'] as const;
export const INVARIANTS = ['lost-write', 'bug-on', 'deadlock', 'stale-read'] as const;
export const FILESYSTEMS = ['ext3', 'ext4', 'generic'] as const;
export const OPERATIONS: ReadonlySet<string> = new Set([
  'store', 'load', 'read', 'sync', 'journal_write_buffers', 'write_one_page', 'msync', 'truncate',
]);

export const OPTS = {
  file: 'test.race',
  eras: ERAS,
  overlays: OVERLAYS,
  invariants: INVARIANTS,
  filesystems: FILESYSTEMS,
  isOperation: (name: string) => OPERATIONS.has(name),
};

/** The example from the language description, verbatim. */
export const FULL_EXAMPLE = `# comment to end of line
race mmap-dirty-lost "A write through a shared mapping is lost by writeback"
era 2.6.19                              # default era (required)
from 000_29cfa1e3f369245f.txt 001_00610878de56fb74.txt    # optional: source documents
fixed-by 7658cc289288 in 2.6.20         # optional, repeatable

setup {
  fs ext3 data=ordered                  # filesystem name + key=value options (optional; at most one)
  file F { page P index 0 uptodate buffers 4 }      # one or more files, each with pages
  mmap U = F shared { P present readonly clean }    # zero or more mappings; per page: PTE state words
}

P0 user      { store(U, P, 0); store(U, P, 2) }      # one block per CPU: P<n> LABEL { calls }
P1 journal   { journal_write_buffers(F) }
P2 writeback { write_one_page(P) }

final { sync(F); read(F, P, 0) }          # optional: runs after every CPU has finished
check lost-write bug-on deadlock          # invariants to check (required)
expect 2.6.19 violated lost-write         # one line per era run: ERA-SPEC [fs NAME] (holds | violated INV... | incomplete)
expect 2.6.20 holds
expect 5.10+hugh holds                    # ERA-SPEC = ERA ('+' OVERLAY)*
expect 6.1 fs ext3 holds
`;

/** The smallest valid file; tests splice one mistake into it. */
export const MINIMAL = `race tiny "t"
era 2.6.19
setup {
  file F { page P index 0 }
}
P0 a { sync(F) }
check lost-write
`;

/** Multi-line blocks, several pages and mappings, PTE args, `;`-less statements. */
export const MULTILINE = `race two-pages "Two pages, two mappings"
era 5.10
setup {
  file F {
    page P index 0 uptodate dirty buffers 2 delalloc
    page Q index 1 writeback locked
  }
  file G
  mmap U = F shared {
    P present writable dirty
    Q absent
  }
  mmap V = F private
}
P0 writer {
  store(U, P, 0)
  msync(U[P]);
  load(V, Q, -1);
}
P1 trunc { truncate(F, 0x10) }
check stale-read
expect 5.10 incomplete
`;
