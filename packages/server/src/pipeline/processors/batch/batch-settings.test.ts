import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SettingsError } from '../../graph/component.ts';
import { parseBatchSettings, type BatchSettings } from './batch-settings.ts';

describe('parseBatchSettings', () => {
  const accepted: { name: string; settings: unknown; expected: BatchSettings }[] = [
    {
      name: 'no settings: the Collector defaults',
      settings: null,
      expected: { sendBatchSize: 8192, timeoutMs: 200, sendBatchMaxSize: 0 },
    },
    {
      name: 'all set',
      settings: {
        send_batch_size: 100,
        timeout: '1s',
        send_batch_max_size: 100,
        metadata_cardinality_limit: 10,
      },
      expected: { sendBatchSize: 100, timeoutMs: 1000, sendBatchMaxSize: 100 },
    },
    {
      name: 'zero timeout and size (send at once)',
      settings: { send_batch_size: 0, timeout: '0s' },
      expected: { sendBatchSize: 0, timeoutMs: 0, sendBatchMaxSize: 0 },
    },
    {
      name: 'empty metadata_keys',
      settings: { metadata_keys: [] },
      expected: { sendBatchSize: 8192, timeoutMs: 200, sendBatchMaxSize: 0 },
    },
  ];
  for (const row of accepted) {
    it(`accepts ${row.name}`, () => {
      assert.deepEqual(parseBatchSettings(row.settings), row.expected);
    });
  }

  const refused: { name: string; settings: unknown; message: RegExp; keyPath: string[] }[] = [
    {
      name: 'a max below the size',
      settings: { send_batch_size: 1000, send_batch_max_size: 999 },
      message: /^send_batch_max_size must be greater or equal to send_batch_size$/,
      keyPath: ['send_batch_max_size'],
    },
    {
      name: 'a max below the default size',
      settings: { send_batch_max_size: 1000 },
      message: /^send_batch_max_size must be greater or equal to send_batch_size$/,
      keyPath: ['send_batch_max_size'],
    },
    {
      name: 'a negative timeout',
      settings: { timeout: '-1s' },
      message: /^timeout must be greater or equal to 0$/,
      keyPath: ['timeout'],
    },
    {
      name: 'metadata_keys',
      settings: { metadata_keys: ['tenant'] },
      message: /^Vigil does not batch by client metadata/,
      keyPath: ['metadata_keys'],
    },
    {
      name: 'a negative size',
      settings: { send_batch_size: -1 },
      message: /^expected a whole number of zero or more$/,
      keyPath: ['send_batch_size'],
    },
    {
      name: 'a size beyond uint32',
      settings: { send_batch_size: 2 ** 32 },
      message: /^expected a whole number up to 4294967295$/,
      keyPath: ['send_batch_size'],
    },
    {
      name: 'an unknown key',
      settings: { send_batch_sizee: 10 },
      message: /^unknown setting "send_batch_sizee"$/,
      keyPath: ['send_batch_sizee'],
    },
  ];
  for (const row of refused) {
    it(`refuses ${row.name}`, () => {
      assert.throws(
        () => parseBatchSettings(row.settings),
        (error: unknown) => {
          assert.ok(error instanceof SettingsError);
          assert.match(error.message, row.message);
          assert.deepEqual(error.keyPath, row.keyPath);
          return true;
        },
      );
    });
  }
});
