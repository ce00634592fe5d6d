/**
 * A simulated NVIDIA dcgm-exporter for the two GPUs the fraud model runs on (GPU 0: v3.1, GPU 1:
 * v3.2), printing what dcgm-exporter prints: Prometheus text 0.0.4, metric names and HELP texts from
 * its default-counters.csv, labels gpu, UUID, pci_bus_id, device, modelName, Hostname. Under
 * gpu-throttling the temperature climbs and the SM clock falls, with a thermal time constant, as a
 * throttling GPU does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface GpuIdentity {
  gpu: string;
  uuid: string;
  pciBusId: string;
  /** Share of the platform's scoring traffic this GPU serves. */
  trafficShare: number;
}

const GPUS: GpuIdentity[] = [
  {
    gpu: '0',
    uuid: 'GPU-5fd4a1c2-8b1e-4f3a-9c51-0d1e2f3a4b5c',
    pciBusId: '00000000:07:00.0',
    trafficShare: 0.9,
  },
  {
    gpu: '1',
    uuid: 'GPU-a83c6e90-2d47-4b18-b6f2-7e9d0c1b2a3f',
    pciBusId: '00000000:0F:00.0',
    trafficShare: 0.1,
  },
];
const MODEL_NAME = 'NVIDIA A100-SXM4-40GB';
const HOSTNAME = 'gpu-node-1';
const FB_TOTAL_MIB = 40_536;
const THERMAL_TIME_CONSTANT_MILLIS = 2_000;

/** Normal and throttled operating points (A100 SXM4: max SM clock 1410 MHz, slowdown near 85 °C). */
const NORMAL = { temperatureCelsius: 63, smClockMhz: 1410, powerWatts: 245 };
const THROTTLED = { temperatureCelsius: 89, smClockMhz: 990, powerWatts: 205 };

const FIELDS = [
  ['DCGM_FI_DEV_SM_CLOCK', 'gauge', 'SM clock frequency (in MHz).'],
  ['DCGM_FI_DEV_MEM_CLOCK', 'gauge', 'Memory clock frequency (in MHz).'],
  ['DCGM_FI_DEV_GPU_TEMP', 'gauge', 'GPU temperature (in C).'],
  ['DCGM_FI_DEV_POWER_USAGE', 'gauge', 'Power draw (in W).'],
  [
    'DCGM_FI_DEV_PCIE_TX_THROUGHPUT',
    'counter',
    'Total number of bytes transmitted through PCIe TX (in KB) via NVML.',
  ],
  [
    'DCGM_FI_DEV_PCIE_RX_THROUGHPUT',
    'counter',
    'Total number of bytes received through PCIe RX (in KB) via NVML.',
  ],
  ['DCGM_FI_DEV_GPU_UTIL', 'gauge', 'GPU utilization (in %).'],
  ['DCGM_FI_DEV_MEM_COPY_UTIL', 'gauge', 'Memory utilization (in %).'],
  ['DCGM_FI_DEV_FB_FREE', 'gauge', 'Framebuffer memory free (in MiB).'],
  ['DCGM_FI_DEV_FB_USED', 'gauge', 'Framebuffer memory used (in MiB).'],
] as const;

type FieldName = (typeof FIELDS)[number][0];

interface GpuState {
  temperatureCelsius: number;
  smClockMhz: number;
  powerWatts: number;
  pcieTxKb: number;
  pcieRxKb: number;
}

export interface DcgmSimulatorOptions {
  isThrottling(): boolean;
  /** Scoring requests per second sent to the platform (drives utilisation and PCIe traffic). */
  ratePerSecond(): number;
  nowMillis?: () => number;
}

/** Holds the GPUs' thermal state; `render()` advances it to now and prints one scrape. */
export class DcgmSimulator {
  private readonly states: GpuState[] = GPUS.map(() => ({ ...NORMAL, pcieTxKb: 0, pcieRxKb: 0 }));
  private lastMillis: number;
  private readonly now: () => number;

  constructor(private readonly options: DcgmSimulatorOptions) {
    this.now = options.nowMillis ?? Date.now;
    this.lastMillis = this.now();
  }

  render(): string {
    this.advance();
    const lines: string[] = [];
    for (const [name, type, help] of FIELDS) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      GPUS.forEach((identity, index) => {
        lines.push(
          `${name}{${labels(identity)}} ${this.value(name, identity, this.states[index] ?? this.states[0]!)}`,
        );
      });
    }
    return `${lines.join('\n')}\n`;
  }

  private advance(): void {
    const nowMillis = this.now();
    const elapsedMillis = Math.max(0, nowMillis - this.lastMillis);
    this.lastMillis = nowMillis;
    const target = this.options.isThrottling() ? THROTTLED : NORMAL;
    // First-order thermal response: each step closes 1 − e^(−Δt/τ) of the gap to the target.
    const step = 1 - Math.exp(-elapsedMillis / THERMAL_TIME_CONSTANT_MILLIS);
    GPUS.forEach((identity, index) => {
      const state = this.states[index];
      if (!state) return;
      state.temperatureCelsius += (target.temperatureCelsius - state.temperatureCelsius) * step;
      state.smClockMhz += (target.smClockMhz - state.smClockMhz) * step;
      state.powerWatts += (target.powerWatts - state.powerWatts) * step;
      const requests = (this.options.ratePerSecond() * identity.trafficShare * elapsedMillis) / 1000;
      state.pcieTxKb += Math.round(requests * 6); // ~6 KB of scores and logits back per request
      state.pcieRxKb += Math.round(requests * 24); // ~24 KB of features and embeddings in
    });
  }

  private value(name: FieldName, identity: GpuIdentity, state: GpuState): string {
    const busyFraction = Math.min(0.99, this.options.ratePerSecond() * identity.trafficShare * 0.028 + 0.05);
    const fbUsedMib = identity.gpu === '0' ? 18_842 : 19_661;
    switch (name) {
      case 'DCGM_FI_DEV_SM_CLOCK':
        // SM clocks move in 15 MHz steps on A100.
        return String(Math.round(state.smClockMhz / 15) * 15);
      case 'DCGM_FI_DEV_MEM_CLOCK':
        return '1215';
      case 'DCGM_FI_DEV_GPU_TEMP':
        return String(Math.round(state.temperatureCelsius + noise(1)));
      case 'DCGM_FI_DEV_POWER_USAGE':
        return (state.powerWatts * (0.6 + 0.4 * busyFraction) + noise(3)).toFixed(3);
      case 'DCGM_FI_DEV_PCIE_TX_THROUGHPUT':
        return String(state.pcieTxKb);
      case 'DCGM_FI_DEV_PCIE_RX_THROUGHPUT':
        return String(state.pcieRxKb);
      case 'DCGM_FI_DEV_GPU_UTIL':
        return String(Math.round(Math.min(100, busyFraction * 100 * (NORMAL.smClockMhz / state.smClockMhz))));
      case 'DCGM_FI_DEV_MEM_COPY_UTIL':
        return String(Math.round(busyFraction * 40));
      case 'DCGM_FI_DEV_FB_FREE':
        return String(FB_TOTAL_MIB - fbUsedMib);
      case 'DCGM_FI_DEV_FB_USED':
        return String(fbUsedMib);
    }
  }
}

function labels(identity: GpuIdentity): string {
  return (
    `gpu="${identity.gpu}",UUID="${identity.uuid}",pci_bus_id="${identity.pciBusId}",device="nvidia${identity.gpu}",` +
    `modelName="${MODEL_NAME}",Hostname="${HOSTNAME}"`
  );
}

function noise(amplitude: number): number {
  return amplitude * (2 * Math.random() - 1);
}

/** Serves `GET /metrics` as dcgm-exporter does (its default port is 9400). */
export function startDcgmServer(
  simulator: DcgmSimulator,
  host: string,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
      .end(simulator.render());
  });
  return listen(server, host, port);
}

/** Listens and returns the bound port plus a close() that also drops keep-alive connections. */
export function listen(
  server: Server,
  host: string,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
