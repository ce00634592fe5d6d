import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GO, goBool, goInt, goString } from './go/go-values.ts';
import { stripDomain, stripPort } from './host-port.ts';
import { convertToFloat, humanize, humanize1024, humanizeDuration, humanizePercentage } from './humanize.ts';
import { parsePrometheusDurationMs } from './prom-duration.ts';

/** Edges of Prometheus's template helpers beyond the upstream table; expectations are Go's results. */

describe('humanize*', () => {
  const cases: readonly [(v: number) => string, number, string][] = [
    [humanize, -0.0012, '-1.2m'],
    [humanize, 1e-9, '1n'],
    [humanize, 1e-30, '1e-06y'], // past the last prefix, %.4g takes over
    [humanize, 1e27, '1000Y'],
    [humanize, 999.95, '1000'], // the double is 999.95000000000004…: rounds up and carries
    [humanize1024, -2048, '-2ki'],
    [humanize1024, 1023.99, '1024'],
    [humanizeDuration, -0.5, '-500ms'],
    [humanizeDuration, 59.99, '59.99s'],
    [humanizeDuration, 3599.9, '59m 59s'],
    [humanizeDuration, 1e-7, '100ns'],
    [humanizePercentage, NaN, 'NaN%'],
    [humanizePercentage, 1, '100%'],
  ];
  for (const [fn, value, want] of cases) it(`${fn.name}(${value})`, () => assert.equal(fn(value), want));
});

describe('convertToFloat', () => {
  it('parses strings as strconv.ParseFloat does', () => {
    assert.equal(convertToFloat(goString('0x1p-2')), 0.25);
    assert.equal(convertToFloat(goString('1_000')), 1000);
    assert.equal(convertToFloat(goString('Inf')), Infinity);
    assert.ok(Number.isNaN(convertToFloat(goString('nan'))));
    assert.throws(() => convertToFloat(goString('+nan')), {
      message: 'strconv.ParseFloat: parsing "+nan": invalid syntax',
    });
    assert.throws(() => convertToFloat(goString('1e400')), {
      message: 'strconv.ParseFloat: parsing "1e400": value out of range',
    });
  });
  it('converts Go integers and rejects other types', () => {
    assert.equal(convertToFloat(goInt(7, GO.uint)), 7);
    assert.equal(convertToFloat(goInt(1_500_000_000n, GO.duration)), 1.5);
    assert.throws(() => convertToFloat(goBool(true)), { message: "can't convert bool to float" });
    assert.throws(() => convertToFloat(goString('1', GO.html)), {
      message: "can't convert template.HTML to float",
    });
  });
});

describe('parseDuration (model.ParseDuration)', () => {
  it('accepts ordered integer units', () => {
    assert.equal(parsePrometheusDurationMs('1h2m10ms'), 3_720_010);
    assert.equal(parsePrometheusDurationMs('1y1w1d'), 31_536_000_000 + 604_800_000 + 86_400_000);
    assert.equal(parsePrometheusDurationMs('0'), 0);
    assert.equal(parsePrometheusDurationMs('-1h30m'), -5_400_000); // Prometheus 3 allows negative
  });
  it('rejects what Prometheus rejects', () => {
    assert.throws(() => parsePrometheusDurationMs('1h1d'), {
      message: 'not a valid duration string: "1h1d"',
    });
    assert.throws(() => parsePrometheusDurationMs('1.5h'), {
      message: 'not a valid duration string: "1.5h"',
    });
    assert.throws(() => parsePrometheusDurationMs(''), { message: 'empty duration string' });
    assert.throws(() => parsePrometheusDurationMs('-'), { message: 'empty duration string' });
    assert.throws(() => parsePrometheusDurationMs('300000y'), { message: 'duration out of range' });
  });
});

describe('stripPort / stripDomain', () => {
  const cases: readonly [(s: string) => string, string, string][] = [
    [stripPort, ':80', ''],
    [stripPort, 'a:b:c', 'a:b:c'],
    [stripDomain, 'localhost', 'localhost'],
    [stripDomain, 'a.b.example:80', 'a:80'],
    [stripDomain, '[::1]:9090', '[::1]:9090'],
    [stripDomain, '[fe80::1%eth0]:80', '[fe80::1%eth0]:80'],
    [stripDomain, '::ffff:10.0.0.1', '::ffff:10.0.0.1'],
    [stripDomain, '010.0.0.1', '010'], // Go rejects IPv4 parts with leading zeros: not an IP
    [stripDomain, '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8:9'], // no port, one label
    [stripDomain, '1::2::3', '1::2::3'],
  ];
  for (const [fn, input, want] of cases) it(`${fn.name}(${input})`, () => assert.equal(fn(input), want));
});
