import { parentPort, workerData } from 'node:worker_threads';
import { formatPolicyError } from '../policy.types';
import { simulateRows } from './simulate-rows';
import {
  type FromWorker,
  rowsOf,
  type SimulationWorkerData,
  type ToWorker,
} from './simulation-protocol';
import { SimulationTally } from './simulation-tally';
import { lowerThisThreadsPriority } from './thread-priority';
import { compilePolicyText } from './try-policy';

/**
 * The simulation's worker thread: compiles the two policy texts once, then evaluates the batches
 * of past requests the main thread sends, reporting progress after each and the result after
 * `end`. Imports only the policy engine (no Nest, no database), so it starts in a few hundred ms.
 */
const port = parentPort;
if (!port) throw new Error('simulation.worker must run as a worker thread');
lowerThisThreadsPriority();

const post = (message: FromWorker) => port.postMessage(message);
const { activeText, draftText } = workerData as SimulationWorkerData;
const active = compilePolicyText(activeText);
const draft = compilePolicyText(draftText);
const tally = new SimulationTally();

async function handle(message: ToWorker): Promise<void> {
  if (!active.ok || !draft.ok) return;
  if (message.type === 'batch') {
    await simulateRows(tally, active.compiled, draft.compiled, rowsOf(message.json));
    post({ type: 'progress', done: tally.done });
  } else {
    post({ type: 'result', result: tally.result() });
  }
}

const refused = !active.ok
  ? { which: 'active', errors: active.errors }
  : !draft.ok
    ? { which: 'draft', errors: draft.errors }
    : undefined;
if (refused) {
  const reasons = refused.errors.map(formatPolicyError).join('; ');
  post({ type: 'error', message: `the ${refused.which} version does not load: ${reasons}` });
} else {
  // Messages are handled strictly one after another: `end` must wait for every batch before it.
  let queue = Promise.resolve();
  let failed = false;
  port.on('message', (message: ToWorker) => {
    queue = queue.then(async () => {
      if (failed) return;
      try {
        await handle(message);
      } catch (error) {
        // An error in the engine is a bug: it ends the thread, and the main thread reports it.
        failed = true;
        setImmediate(() => {
          throw error;
        });
      }
    });
  });
}
