import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGB: number;
  os: string;
  node: string;
  postgresql: string | null;
  /** 1-minute load average when the run started and ended: other work on the machine shows here. */
  loadAverageAtStart: number;
  loadAverageAtEnd?: number;
}

export function machine(postgresql: string | null): Machine {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGB: Number((totalmem() / 1024 ** 3).toFixed(1)),
    os: `${osType()} ${release()}`,
    node: process.version,
    postgresql,
    loadAverageAtStart: Number(loadavg()[0].toFixed(2)),
  };
}
