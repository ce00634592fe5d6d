/**
 * Parser for `nvidia-smi --query-gpu=<fields> --format=csv,noheader,nounits` output: one line per
 * GPU, fields separated by ", ", unsupported fields printed as "[N/A]" or "[Not Supported]".
 */

/** The query, in output column order. */
export const NVIDIA_SMI_QUERY_FIELDS: readonly string[] = [
  'index',
  'uuid',
  'name',
  'utilization.gpu',
  'utilization.memory',
  'memory.used',
  'memory.free',
  'temperature.gpu',
  'power.draw',
  'clocks.sm',
  'clocks.mem',
];

export interface GpuSample {
  index: string;
  uuid: string;
  name: string;
  values: {
    utilizationGpuPercent: number | undefined;
    utilizationMemoryPercent: number | undefined;
    memoryUsedMib: number | undefined;
    memoryFreeMib: number | undefined;
    temperatureCelsius: number | undefined;
    powerDrawWatts: number | undefined;
    smClockMhz: number | undefined;
    memoryClockMhz: number | undefined;
  };
}

const NUMERIC_FIELD_COUNT = 8;

/**
 * Parses every well-formed line; malformed lines are skipped. A product name containing commas
 * makes a line longer than 11 fields: the name is everything between uuid and the 8 numbers.
 */
export function parseNvidiaSmiCsv(output: string): GpuSample[] {
  const samples: GpuSample[] = [];
  for (const line of output.split('\n')) {
    const fields = line.split(',').map((field) => field.trim());
    if (fields.length < NVIDIA_SMI_QUERY_FIELDS.length) continue;
    const numbers = fields.slice(fields.length - NUMERIC_FIELD_COUNT).map(parseNumber);
    const [index = '', uuid = ''] = fields;
    if (!/^\d+$/.test(index)) continue;
    samples.push({
      index,
      uuid,
      name: fields.slice(2, fields.length - NUMERIC_FIELD_COUNT).join(', '),
      values: {
        utilizationGpuPercent: numbers[0],
        utilizationMemoryPercent: numbers[1],
        memoryUsedMib: numbers[2],
        memoryFreeMib: numbers[3],
        temperatureCelsius: numbers[4],
        powerDrawWatts: numbers[5],
        smClockMhz: numbers[6],
        memoryClockMhz: numbers[7],
      },
    });
  }
  return samples;
}

/** "[N/A]", "[Not Supported]" and anything else non-numeric → undefined. */
function parseNumber(field: string): number | undefined {
  if (field === '' || field.startsWith('[')) return undefined;
  const value = Number(field);
  return Number.isFinite(value) ? value : undefined;
}
