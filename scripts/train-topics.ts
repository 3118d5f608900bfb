/**
 * Trains the topic model and writes data/topic-model.json:
 *
 *   npm run train:topics                     # ../shared/corpus → data/topic-model.json, then held-out figures
 *   npm run train:topics -- --check          # retrain and fail if the committed model differs by a byte
 *   npm run train:topics -- --corpus DIR --out FILE
 *
 * Training data: the BBC training split (80% per category, seeded; see src/ingest/extract/classifier/corpora.ts)
 * and Reuters-21578 ModApte TRAIN stories (TOPICS="YES"). The held-out BBC 20% and Reuters TEST are only
 * scored, after training, through `assignTopics`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadTaxonomy } from '../src/ingest/extract/topics.js';
import { BBC_CATEGORIES, BBC_SPLIT, loadBbc, loadReuters, REUTERS_TOP10 } from '../src/ingest/extract/classifier/corpora.js';
import { scoreBbc, scoreReuters } from '../src/ingest/extract/classifier/eval.js';
import { serializeTopicModel, TopicModel, TOPIC_MODEL_PATH } from '../src/ingest/extract/classifier/model.js';
import { trainTopicModel, type ClassSpec, type TrainingDocument } from '../src/ingest/extract/classifier/train.js';
import { assignTopics } from '../src/ingest/extract/topics.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: path.resolve(root, '../shared/corpus') },
    out: { type: 'string', default: TOPIC_MODEL_PATH },
    check: { type: 'boolean', default: false },
  },
});

const fmt = (x: number, d = 4): string => x.toFixed(d);
const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)}s`;

const bbc = await loadBbc(path.join(args.corpus, 'bbc'));
const reuters = await loadReuters(path.join(args.corpus, 'reuters21578'));
console.log(`[${elapsed()}] BBC: ${bbc.train.length} train / ${bbc.test.length} held out (seed ${BBC_SPLIT.seed}, ${BBC_SPLIT.heldOutShare * 100}% per category), ${bbc.duplicatesDropped} exact duplicates dropped, ${bbc.failed.length} unreadable`);
console.log(`[${elapsed()}] Reuters ModApte: ${reuters.train.length} TRAIN / ${reuters.test.length} TEST stories with TOPICS="YES", ${reuters.failed.length} stories unreadable in the corpus`);

const frequency = new Map<string, number>();
for (const d of reuters.train) for (const l of d.labels) frequency.set(l, (frequency.get(l) ?? 0) + 1);
const top10 = [...frequency].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10).map(([l]) => l);
if (top10.join() !== REUTERS_TOP10.join()) console.warn(`warning: the ten most frequent training topics are ${top10.join(', ')}`);

const classes: ClassSpec[] = [
  ...BBC_CATEGORIES.map((label) => ({ corpus: 'bbc', label, kind: 'single' as const })),
  ...REUTERS_TOP10.map((label) => ({ corpus: 'reuters', label, kind: 'multi' as const })),
];
const docs: TrainingDocument[] = [
  ...bbc.train.map((d) => ({ doc: d.doc, corpus: 'bbc', labels: d.labels })),
  ...reuters.train.map((d) => ({ doc: d.doc, corpus: 'reuters', labels: d.labels })),
];
const { file, report } = trainTopicModel(docs, classes);
const text = serializeTopicModel(file);
console.log(`[${elapsed()}] trained ${classes.length} classes: ${report.candidateTerms} terms with df ≥ 2 → vocabulary ${report.vocabulary}, model ${(text.length / 1024).toFixed(0)} KiB`);
console.log('class                   pos    neg  cv-F1  thresh  slope  offset  epochs  weights');
for (const c of report.classes) {
  console.log(
    `${c.id.padEnd(22)} ${String(c.positives).padStart(4)} ${String(c.negatives).padStart(6)}  ${c.cvF1 !== undefined ? fmt(c.cvF1, 3) : '   - '}  ${c.threshold !== undefined ? c.threshold.toFixed(3).padStart(6) : '     -'}  ${c.slope.toFixed(2).padStart(5)}  ${c.offset.toFixed(2).padStart(6)}  ${String(c.epochs).padStart(6)}  ${String(c.weights).padStart(7)}`,
  );
}
console.log(`cross-validated on training data (5 folds): BBC accuracy ${fmt(report.cv['bbc.accuracy'] ?? 0)}, Reuters micro-F1 ${fmt(report.cv['reuters.microF1'] ?? 0)}`);

if (args.check) {
  let current = '';
  try {
    current = readFileSync(args.out, 'utf8');
  } catch {
    /* missing counts as different */
  }
  if (current !== text) {
    console.error(`${args.out} differs from a fresh training run: run npm run train:topics`);
    process.exit(1);
  }
  console.log(`${args.out} is identical to a fresh training run`);
} else {
  writeFileSync(args.out, text);
  console.log(`wrote ${path.relative(process.cwd(), args.out)}`);
}

// Held-out figures, end to end through assignTopics with the model just trained.
const model = new TopicModel(JSON.parse(text));
const taxonomy = loadTaxonomy();
const b = scoreBbc(bbc.test, { model, taxonomy });
const r = scoreReuters(reuters.test, { model, taxonomy });
console.log(`\nBBC held-out accuracy ${fmt(b.accuracy)} (n=${b.n}; target ≥ 0.95)`);
for (const [c, f] of Object.entries(b.perCategory)) console.log(`  ${c.padEnd(14)} P ${fmt(f.precision, 3)}  R ${fmt(f.recall, 3)}  F1 ${fmt(f.f1, 3)}  (n=${f.support})`);
console.log(`Reuters ModApte TEST micro-F1 ${fmt(r.microF1)} (P ${fmt(r.microPrecision)}, R ${fmt(r.microRecall)}, macro-F1 ${fmt(r.macroF1)}; n=${r.n}; target ≥ 0.88)`);
for (const [t, f] of Object.entries(r.perTopic)) console.log(`  ${t.padEnd(14)} P ${fmt(f.precision, 3)}  R ${fmt(f.recall, 3)}  F1 ${fmt(f.f1, 3)}  (n=${f.support})`);

const sample = [...bbc.test, ...reuters.test];
const t0 = process.hrtime.bigint();
for (const d of sample) model.scores(d.doc);
const t1 = process.hrtime.bigint();
for (const d of sample) assignTopics(d.doc, taxonomy, model);
const t2 = process.hrtime.bigint();
const perDoc = (ns: bigint): string => `${(Number(ns) / 1e6 / sample.length).toFixed(3)} ms`;
console.log(`\nper article (${sample.length} held-out articles): model ${perDoc(t1 - t0)}, assignTopics (model + keywords) ${perDoc(t2 - t1)}  [${elapsed()}]`);
