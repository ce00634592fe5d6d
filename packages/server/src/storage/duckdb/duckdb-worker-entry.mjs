// Entry of the DuckDB worker thread. Node 20 does not apply the parent's `--import tsx` loader to a
// worker whose entry is a .ts file (ERR_UNKNOWN_FILE_EXTENSION), so this plain-JS entry registers
// tsx's ESM hooks in the worker itself and then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./duckdb-worker.ts');
