export { startChunker, type Chunker, type ChunkerOptions, type ChunkerStats } from './chunker';
export { chunkerDefaults } from './defaults';
