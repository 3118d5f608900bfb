import type { PageLinkRow } from '../loaders/pageLinks.js';
import { Article } from './article.js';
import { builder } from './builder.js';

export const PageLink = builder.objectRef<PageLinkRow>('PageLink').implement({
  description: 'A headline-only story listed in one of the boxes of the page ("We Recommend", "Most Popular", ...).',
  fields: (t) => ({
    list: t.exposeString('list', { description: 'Title of the box as printed, e.g. "Most Popular".' }),
    position: t.exposeInt('position', { description: '1-based position within the box.' }),
    headline: t.exposeString('headline', { description: 'The listed headline.' }),
    article: t.field({
      type: Article,
      nullable: true,
      description: 'The stored story with this headline (compared ignoring case and punctuation); null until one is ingested.',
      resolve: (l, _args, ctx) => ctx.loaders.articleByHeadlineKey.load(l.headlineKey),
    }),
  }),
});
