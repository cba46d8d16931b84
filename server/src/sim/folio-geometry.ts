/**
 * The struct folio fields that hold a large folio's geometry (6.1: _folio_order,
 * _folio_nr_pages; 6.12: the order in _flags_1's low byte, _nr_pages; compound_order and
 * compound_nr before the folio names): answered from the layout (sim/compound.ts), never
 * plain memory. A module of its own, with no imports, so that plain-fields.ts can use it.
 */
export const FOLIO_GEOMETRY_FIELDS: readonly string[] = ['_folio_nr_pages', '_nr_pages', '_folio_order', '_flags_1', 'compound_order', 'compound_nr'];
