import { Worker } from 'node:worker_threads';
import { prepareEach, type Prepared, type PrepareMany } from './pipeline.js';

/** Parse and extract in a worker thread, so a batch is prepared while the one before it is being stored. */
export interface Preparer {
  prepareMany: PrepareMany;
  close(): Promise<void>;
}

/**
 * A worker thread for prepareEach, from the second batch on. When the worker cannot start (the module loader of the running process
 * does not reach workers) or dies, pages are prepared in this thread instead: slower, never lost.
 */
export function workerPreparer(): Preparer {
  let worker: Worker | null = null;
  let broken = false;
  // Set once the worker has loaded the extraction modules (about a second under tsx): until then this thread
  // prepares the batches itself rather than wait for it.
  let ready = false;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (p: Prepared[]) => void; inputs: Parameters<PrepareMany>[0]; maxBytes?: number }>();
  const fallBack = () => {
    broken = true;
    worker = null;
    for (const [id, job] of waiting) {
      waiting.delete(id);
      job.resolve(prepareEach(job.inputs, { maxBytes: job.maxBytes }));
    }
  };
  const start = (): Worker | null => {
    if (broken) return null;
    if (worker) return worker;
    try {
      // Run from TypeScript sources (tsx), the worker registers tsx's loader itself: tsx's hooks do not
      // reach worker threads.
      const typescript = import.meta.url.endsWith('.ts');
      const url = new URL(`./prepare-worker.${typescript ? 'ts' : 'js'}`, import.meta.url);
      worker = typescript
        ? new Worker(
            `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`,
            { eval: true },
          )
        : new Worker(url);
    } catch {
      broken = true;
      return null;
    }
    worker.unref();
    worker.on('message', (m: { ready: true } | { id: number; prepared: Prepared[] }) => {
      if ('ready' in m) {
        ready = true;
        return;
      }
      const job = waiting.get(m.id);
      waiting.delete(m.id);
      job?.resolve(m.prepared);
    });
    worker.on('error', fallBack);
    worker.on('exit', () => {
      if (waiting.size > 0) fallBack();
      worker = null;
      ready = false;
    });
    return worker;
  };
  let calls = 0;
  return {
    prepareMany: (inputs, options) =>
      new Promise((resolve) => {
        // The first batch has nothing to overlap with, and a one-batch run would only pay for loading the
        // extraction modules twice: the worker starts with the second batch.
        const w = calls++ === 0 ? null : start();
        if (!w || !ready) return resolve(prepareEach(inputs, options));
        const id = nextId++;
        waiting.set(id, { resolve, inputs, maxBytes: options.maxBytes });
        w.postMessage({ id, inputs, maxBytes: options.maxBytes });
      }),
    async close() {
      const w = worker;
      worker = null;
      broken = true;
      if (w) await w.terminate();
    },
  };
}
