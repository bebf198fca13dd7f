export { startChunker, type Chunker, type ChunkerOptions, type ChunkerStats } from './chunker';
export { loadServedCatalogs, type ServedCatalogs, type ServedFile } from './served-catalogs';
export { chunkerDefaults } from './defaults';
