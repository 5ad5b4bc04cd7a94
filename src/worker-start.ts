// Starts one of the package's worker-thread entries. Bundled: dist/NAME.js beside this chunk. From
// source (tests under tsx): the .ts file, with the TypeScript loader registered inside the worker first
// (Node 20 does not pass loaders on to workers).
import { Worker } from 'node:worker_threads';

export function startWorker(name: 'pool-worker' | 'track-worker', workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData });
  const source = new URL(`./${name}.ts`, import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(code, { eval: true, workerData });
}
