import type { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './simulation-protocol';
import type { SimulationResult } from './simulation.types';

/** Batches sent to the worker and not yet reported done; bounds memory to a few batches. */
const MAX_IN_FLIGHT = 2;

export class SimulationFailedError extends Error {
  override readonly name = 'SimulationFailedError';
  readonly code = 'policy.simulation-failed';
}

/**
 * Drives one worker: sends it the batches `batches` yields (never more than MAX_IN_FLIGHT ahead of
 * what it has finished, so reading and evaluating overlap while memory stays flat), reports its
 * progress, and resolves with its result. A worker that errs or exits early rejects with a
 * SimulationFailedError naming what happened; the worker is always gone when this settles.
 */
export async function runSimulation(
  worker: Worker,
  batches: AsyncIterable<string>,
  onProgress: (done: number) => void,
): Promise<SimulationResult> {
  let inFlight = 0;
  let wake: (() => void) | undefined;
  let settle!: { resolve: (r: SimulationResult) => void; reject: (e: Error) => void };
  const finished = new Promise<SimulationResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  let over = false;
  const end = (error?: Error, result?: SimulationResult) => {
    if (over) return;
    over = true;
    wake?.();
    if (error) settle.reject(error);
    else settle.resolve(result!);
  };
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'progress') {
      inFlight--;
      onProgress(message.done);
      wake?.();
    } else if (message.type === 'result') end(undefined, message.result);
    else end(new SimulationFailedError(`the simulation stopped: ${message.message}`));
  });
  worker.on('error', (error) =>
    end(new SimulationFailedError(`the simulation stopped: ${error.message}`)),
  );
  worker.on('exit', (code) =>
    end(
      new SimulationFailedError(`the simulation's worker thread ended early (exit code ${code})`),
    ),
  );
  const send = (message: ToWorker) => worker.postMessage(message);

  const pump = async () => {
    for await (const json of batches) {
      while (inFlight >= MAX_IN_FLIGHT && !over)
        await new Promise<void>((resolve) => (wake = resolve));
      if (over) return;
      send({ type: 'batch', json });
      inFlight++;
    }
    if (!over) send({ type: 'end' });
  };
  pump().catch((error: unknown) => end(readFailure(error)));
  try {
    return await finished;
  } finally {
    await worker.terminate();
  }
}

/** A database error as one line without connection details: its type and code only. */
function readFailure(error: unknown): SimulationFailedError {
  const { name, code } = error as { name?: string; code?: string };
  return new SimulationFailedError(
    `the past requests could not be read (${[name, code].filter(Boolean).join(' ') || 'error'})`,
  );
}
