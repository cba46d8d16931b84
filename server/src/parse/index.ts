/** The parse layer: one incrementally re-parsed tree per open document. */
export { DocumentStore, parse, type OpenDocument } from './documents.js';
export { applyChange, lineStarts, offsetAt, type ContentChange, type TextPosition, type TreeEdit } from './text-edit.js';
