import type { QuoteRow } from '../loaders/people.js';
import { Article } from './article.js';
import { builder, entityById, parseLocalId } from './builder.js';
import type { Context } from './context.js';
import { Person } from './person.js';

export const QuoteKind = builder.enumType('QuoteKind', {
  description: 'How a quote is reported.',
  values: {
    DIRECT: { description: 'Verbatim, in quotation marks.' },
    INDIRECT: { description: 'Reported speech: what the speaker said, in the writer\'s words ("X said China is ...").' },
  } as const,
});

export const Quote = builder.objectRef<QuoteRow>('Quote');

builder.asEntity(Quote, entityById('Quote', (id, ctx) => ctx.loaders.quoteById.load(id)));

builder.node(Quote, {
  description: 'Something a person is reported to have said in a story.',
  id: { resolve: (q) => q.id, parse: parseLocalId },
  loadMany: (ids, ctx: Context) => Promise.all(ids.map((id) => ctx.loaders.quoteById.load(id))),
  fields: (t) => ({
    text: t.exposeString('text', {
      description: 'The quoted words, without quotation marks or attribution: exactly `article.body.slice(start, end)`.',
    }),
    kind: t.field({ type: QuoteKind, description: 'Direct or reported speech.', resolve: (q) => q.kind }),
    start: t.exposeInt('start', { description: 'Offset in the article body where the text starts (UTF-16 code units).' }),
    end: t.exposeInt('end', { description: 'Offset in the article body just after the text ends.' }),
    cue: t.exposeString('cue', {
      nullable: true,
      description: 'The attribution as written, e.g. "Hong said" or "a Foreign Ministry spokesman said".',
    }),
    speaker: t.field({
      type: Person,
      nullable: true,
      description: 'Who said it; null when the story does not make it clear.',
      resolve: (q, _args, ctx) => (q.speakerId == null ? null : ctx.loaders.personById.get(q.speakerId)),
    }),
    article: t.field({
      type: Article,
      description: 'The story the quote appears in.',
      resolve: async (q, _args, ctx) => (await ctx.loaders.articleById.load(q.articleId))!,
    }),
  }),
});
