export { applySigmoid, bestF1Threshold, fitSigmoid, type Sigmoid } from './calibrate.js';
export { BBC_CATEGORIES, BBC_SPLIT, loadBbc, loadReuters, REUTERS_TOP10, type LabelledDocument } from './corpora.js';
export { DECISION_SCORE, evaluateBbc, evaluateReuters, scoreBbc, scoreReuters, type BbcEvaluation, type ReutersEvaluation } from './eval.js';
export { DEFAULT_FEATURIZER, termCounts, tokenize, vectorize, type FeaturizerOptions, type SparseVector } from './features.js';
export { loadTopicModel, parseTopicModel, serializeTopicModel, TopicModel, TOPIC_MODEL_PATH, type TopicModelClass, type TopicModelFile } from './model.js';
export { trainLinearSvm, type LinearSvm, type SvmOptions } from './svm.js';
export { DEFAULT_TRAIN, trainTopicModel, type ClassSpec, type TrainingDocument, type TrainOptions, type TrainReport } from './train.js';
