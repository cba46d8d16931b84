/**
 * Facts about the build racelens models: a 64-bit SMP x86 kernel, compiled by gcc.
 * Kept as data: a new architecture or release changes these tables, not the code.
 */

/**
 * Macros the compiler or the build defines for every kernel file (null: known not to
 * be defined). Anything else that is not a CONFIG_ symbol is unknown to the evaluator.
 */
export const PREDEFINED_MACROS: Readonly<Record<string, string | number | null>> = {
  __KERNEL__: 1,
  __GNUC__: 12,
  __OPTIMIZE__: 1,
  __x86_64__: 1,
  __LP64__: 1,
  BITS_PER_LONG: 64,
  __BITS_PER_LONG: 64,
  BITS_PER_LONG_LONG: 64,
  __LITTLE_ENDIAN: 1234,
  __BIG_ENDIAN: null,
  __ASSEMBLY__: null,
  __CHECKER__: null,
  __GENKSYMS__: null,
  __clang__: null,
  __CHECK_ENDIAN__: null,
  // arch/x86/include/asm/tlb.h defines it before it includes asm-generic/tlb.h, whose
  // `#ifndef tlb_flush` fallback (a flush_tlb_range() over an on-stack vma) x86 never builds
  tlb_flush: 'tlb_flush',
};

/** Symbols the simulator's model of the kernel takes as set (64-bit, SMP). */
export const REQUIRED_SYMBOLS: readonly string[] = ['CONFIG_64BIT', 'CONFIG_SMP'];

/** The architecture whose arch/ folder is compiled. */
export const ARCH = 'x86';

/** Debian's configuration for a release (package linux-config-RELEASE). */
export function debianConfigPath(release: string): string {
  return `/usr/src/linux-config-${release}/config.amd64_none_amd64.xz`;
}

/**
 * Top-level folders of a kernel tree that hold no kernel code (host tools, scripts,
 * documentation, user-space tests): never searched for definitions.
 */
export const NOT_KERNEL_DIRS: readonly string[] = ['tools', 'scripts', 'Documentation', 'samples', 'usr', 'LICENSES'];

/**
 * Folders of the architecture that are built but not linked into the kernel image:
 * the boot loader stub, real-mode trampolines, host tools, kexec's purgatory, the vDSO
 * (user space). Their definitions (arch/x86/boot's own isdigit, memcpy) are never the
 * kernel's.
 */
export const NOT_LINKED_DIRS: readonly string[] = [
  'arch/x86/boot', 'arch/x86/realmode/rm', 'arch/x86/tools', 'arch/x86/purgatory', 'arch/x86/entry/vdso', 'arch/x86/um',
];

/** Top-level folders the top Makefile always builds (core-y and friends). */
export const ALWAYS_BUILT_DIRS: readonly string[] = [
  'init', 'kernel', 'mm', 'fs', 'ipc', 'security', 'crypto', 'block', 'io_uring', 'lib', 'drivers', 'sound', 'net',
  'virt', 'certs', 'rust',
];
