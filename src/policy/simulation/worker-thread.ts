import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Runs a `.ts` module in a worker thread when this code itself runs from source (ts-jest): the
 * worker has no ts-jest, so a require hook compiles each file with TypeScript's `transpileModule`
 * (CommonJS, as our build). Only the worker's own imports pass through it.
 */
const FROM_SOURCE = `
const { readFileSync } = require('node:fs');
const [entry, typescript] = process.argv.slice(-2);
const ts = require(typescript);
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
      inlineSourceMap: true,
    },
  });
  module._compile(outputText, filename);
};
require(entry);
`;

/**
 * A worker thread running `<dir>/<name>.js`: the compiled file beside this one in dist/ (or the
 * bench's snapshot), or, under ts-jest, `<name>.ts` compiled on the fly.
 */
export function startWorker(dir: string, name: string, workerData: unknown): Worker {
  const compiled = join(dir, `${name}.js`);
  if (__filename.endsWith('.js') || existsSync(compiled))
    return new Worker(compiled, { workerData });
  return new Worker(FROM_SOURCE, {
    eval: true,
    workerData,
    argv: [join(dir, `${name}.ts`), require.resolve('typescript')],
  });
}
