/** The parse layer: C text to a tree, incrementally. */
export { parse } from './c-tree.js';
