/**
 * @kept/history — reading ticket history: mappings, timestamps with zones, a streaming CSV reader with
 * row-level rejections, and a database-agnostic importer.
 */
export * from './timestamp';
export * from './reader';
export * from './importer';
export * from './tenant-cases';
