import type { RelatedRow } from '../loaders/related.js';
import { andThen } from '../loaders/util.js';
import type { RelatedReason as RelatedReasonShape } from '../db/schema.js';
import { Article } from './article.js';
import { builder } from './builder.js';

const RelatedReasonKind = builder.enumType('RelatedReasonKind', {
  description: 'Why two stories are related.',
  values: {
    SHARED_TOPIC: { description: 'Both stories are about the same topic.' },
    SHARED_PERSON: { description: 'Both stories name the same person.' },
    SHARED_EVENT: { description: 'Both stories mention the same event.' },
    TEXT_SIMILARITY: { description: 'The stories use many of the same distinctive words.' },
  } as const,
});

const RelatedReason = builder.objectRef<RelatedReasonShape>('RelatedReason').implement({
  description: 'One reason two stories are related, with its share of the score.',
  fields: (t) => ({
    kind: t.field({ type: RelatedReasonKind, description: 'The kind of link.', resolve: (r) => r.kind }),
    label: t.exposeString('label', {
      description: 'What is shared, e.g. the topic name, the person\'s name, the event, or the shared words.',
    }),
    weight: t.exposeFloat('weight', { description: 'Contribution of this reason to the score.' }),
  }),
});

export const RelatedStory = builder.objectRef<RelatedRow>('RelatedStory').implement({
  description: 'A stored story related to another one, with the reasons.',
  fields: (t) => ({
    score: t.exposeFloat('score', { description: 'Strength of the relation: the sum of the reason weights. Higher is closer.' }),
    reasons: t.field({
      type: [RelatedReason],
      description: 'Why the stories are related, strongest reason first.',
      resolve: (r) => [...r.reasons].sort((a, b) => b.weight - a.weight),
    }),
    article: t.field({
      type: Article,
      description: 'The related story.',
      resolve: (r, _args, ctx) => andThen(ctx.loaders.articleById.get(r.relatedId), (article) => article!),
    }),
  }),
});
