import { createHash } from 'node:crypto';
import type { AttributeValue } from '../../../model/attributes.ts';

/**
 * The `hash` action's result: lowercase hex SHA-256 of the value's bytes, as the Collector's
 * sha2Hasher (internal/coreinternal/attraction/hasher.go; SHA-256 since the
 * `coreinternal.attraction.hash.sha256` gate went stable in v0.85.0, SHA-1 before). Strings hash
 * their UTF-8 bytes, ints their 8 little-endian two's-complement bytes, doubles their IEEE-754 bits
 * little-endian, bools one byte 1/0. Other types (and the empty string) have no bytes to hash and
 * become "" — upstream does the same, so hashed values match between Vigil and a Collector.
 *
 * @example
 * hashAttributeValue('foo'); // "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
 */
export function hashAttributeValue(value: AttributeValue): string {
  const bytes = hashInput(value);
  if (bytes === undefined || bytes.length === 0) return '';
  return createHash('sha256').update(bytes).digest('hex');
}

function hashInput(value: AttributeValue): Buffer | undefined {
  switch (typeof value) {
    case 'string':
      return Buffer.from(value, 'utf8');
    case 'boolean':
      return Buffer.from([value ? 1 : 0]);
    case 'bigint': {
      const bytes = Buffer.alloc(8);
      bytes.writeBigUInt64LE(BigInt.asUintN(64, value));
      return bytes;
    }
    case 'number': {
      const bytes = Buffer.alloc(8);
      bytes.writeDoubleLE(value);
      return bytes;
    }
    default:
      return undefined;
  }
}
