/**
 * The one list of upstream PromQL conformance evals Vigil's engine is known to fail
 * (conformance.test.ts). Every failing eval of the core files must be listed here with a reason,
 * and every entry must still fail, so the list stays honest: fix an eval, delete its entry.
 * `run-conformance.ts --emit-known` prints entries for the current failures.
 */
export interface KnownFailure {
  /** Test file name, e.g. 'functions.test'. */
  file: string;
  /** 1-based line of the `eval` command. */
  line: number;
  /** Why Vigil differs from Prometheus here. */
  reason: string;
}

const MIN_MAX_OF =
  'min_of()/max_of() (experimental in Prometheus v3.14) are not in the grammar of @prometheus-io/lezer-promql 0.315, which Vigil parses with';

export const KNOWN_FAILURES: readonly KnownFailure[] = [
  { file: 'functions.test', line: 2221, reason: MIN_MAX_OF }, // min_of(3, 5)
  { file: 'functions.test', line: 2224, reason: MIN_MAX_OF }, // min_of(5, 3)
  { file: 'functions.test', line: 2227, reason: MIN_MAX_OF }, // max_of(3, 5)
  { file: 'functions.test', line: 2230, reason: MIN_MAX_OF }, // max_of(5, 3)
  { file: 'functions.test', line: 2234, reason: MIN_MAX_OF }, // min_of(4, 4)
  { file: 'functions.test', line: 2237, reason: MIN_MAX_OF }, // max_of(4, 4)
  { file: 'functions.test', line: 2241, reason: MIN_MAX_OF }, // min_of(-2, -5)
  { file: 'functions.test', line: 2244, reason: MIN_MAX_OF }, // max_of(-2, -5)
  { file: 'functions.test', line: 2248, reason: MIN_MAX_OF }, // min_of(0, 1)
  { file: 'functions.test', line: 2251, reason: MIN_MAX_OF }, // max_of(0, 1)
  { file: 'functions.test', line: 2255, reason: MIN_MAX_OF }, // min_of(NaN, 3)
  { file: 'functions.test', line: 2258, reason: MIN_MAX_OF }, // min_of(3, NaN)
  { file: 'functions.test', line: 2261, reason: MIN_MAX_OF }, // max_of(NaN, 3)
  { file: 'functions.test', line: 2264, reason: MIN_MAX_OF }, // max_of(3, NaN)
];
