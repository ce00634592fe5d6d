import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PromSeriesSamples } from '../../../model/prom-series.ts';
import { encodeSeriesColumns, encodeSeriesWrite } from './series-encoder.ts';

const series = (labels: Record<string, string>, times: number[], values: number[]): PromSeriesSamples => ({
  labels: new Map(Object.entries(labels)),
  timestampsMs: Float64Array.from(times),
  values: Float64Array.from(values),
});

void test('series encoder: columns and objects encode alike; unlabelled series, bad times and unpaired samples are invalid', () => {
  const input = [
    series({ __name__: 'a', job: 'x' }, [1_000.7, NaN, 3_000], [1, 2, 3]),
    series({}, [1_000], [9]),
    series({ job: 'y', __name__: 'b' }, [2_000], [4]),
  ];
  const columns = {
    labelSets: input.map((s) => s.labels),
    sampleEnds: Uint32Array.of(3, 4, 5),
    timestampsMs: Float64Array.of(1_000.7, NaN, 3_000, 1_000, 2_000),
    values: Float64Array.of(1, 2, 3, 9, 4),
  };
  const fromObjects = encodeSeriesWrite([...input, series({ __name__: 'c' }, [1, 2], [1])], []);
  const fromColumns = encodeSeriesColumns(columns, []);
  assert.equal(fromColumns.invalidSamples, 2, 'the NaN time and the unlabelled series');
  assert.equal(fromObjects.invalidSamples, 3, '… and the timestamp without a value');
  const { write } = fromColumns;
  assert.deepStrictEqual([...write.timestampsMs], [1_000, 3_000, 2_000]);
  assert.deepStrictEqual([...write.values], [1, 3, 4]);
  assert.deepStrictEqual([...write.sampleOffsets], [0, 2, 3]);
  const labelsOf = (i: number): string[] =>
    [...write.labelCodes.subarray(write.labelOffsets[i], write.labelOffsets[i + 1])].map(
      (code) => write.strings[code] ?? '?',
    );
  assert.deepStrictEqual(
    [labelsOf(0), labelsOf(1)],
    [
      ['__name__', 'a', 'job', 'x'],
      ['__name__', 'b', 'job', 'y'],
    ],
  );
  assert.deepStrictEqual([...fromObjects.write.timestampsMs].slice(0, 3), [...write.timestampsMs]);
});
