/**
 * Worker thread entry: parses and extracts the pages it is sent (prepareEach) and posts the results back.
 * Extraction is pure CPU, so a worker runs it beside the thread that drives the database.
 */
import { parentPort } from 'node:worker_threads';
import { prepareEach } from './pipeline.js';
import type { IngestInput } from './pipeline.js';

parentPort?.on('message', (job: { id: number; inputs: IngestInput[]; maxBytes?: number }) => {
  parentPort!.postMessage({ id: job.id, prepared: prepareEach(job.inputs, { maxBytes: job.maxBytes }) });
});

// Ready once the first page is as quick as the rest: the taxonomy and the topic model load on first use.
prepareEach([{ raw: 'Worker ready\n\nA first page loads what extraction reads on first use.' }], {});
parentPort?.postMessage({ ready: true });
