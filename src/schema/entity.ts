import type { ArticleEntityRow, EntityRow } from '../loaders/entities.js';
import { ArticleConnection, articleConnection } from './article.js';
import { builder, parseLocalId } from './builder.js';
import type { Context } from './context.js';
import { afterCursor, pageArgs, pageSize } from './pagination.js';

export const EntityKind = builder.enumType('EntityKind', {
  description: 'What an entity is.',
  values: {
    ORGANIZATION: { description: 'A company, ministry, party, agency, court, club or other body.' },
    PLACE: { description: 'A country, region or city.' },
  } as const,
});

export const Entity = builder.objectRef<EntityRow>('Entity');

builder.node(Entity, {
  description: 'An organization or a place named in stories, one per name across the graph.',
  id: { resolve: (e) => e.id, parse: parseLocalId },
  loadMany: (ids, ctx: Context) => Promise.all(ids.map((id) => ctx.loaders.entityById.load(id))),
  fields: (t) => ({
    kind: t.field({ type: EntityKind, description: 'Organization or place.', resolve: (e) => e.kind }),
    name: t.exposeString('name', { description: 'The fullest form the stories print, e.g. "Bank of England".' }),
    articles: t.field({
      type: ArticleConnection,
      description: 'Stories that name this organization or place, newest first.',
      args: pageArgs,
      resolve: async (entity, args, ctx) => {
        const first = pageSize(args.first);
        const after = afterCursor('a', args.after);
        const page = await ctx.loaders.articlesByEntityId.load({ parentId: entity.id, first, after });
        return articleConnection(page, after !== null, () => ctx.loaders.articleCountByEntityId.load(entity.id));
      },
    }),
  }),
});

export const EntityMention = builder.objectRef<ArticleEntityRow>('EntityMention').implement({
  description: 'An organization or place as one story names it.',
  fields: (t) => ({
    entity: t.field({ type: Entity, description: 'The organization or place.', resolve: (m) => m.entity }),
    mentionCount: t.exposeInt('mentionCount', { description: 'How many times the story names it.' }),
    firstMention: t.exposeInt('firstMention', { description: 'Character offset of its first mention in the article body.' }),
  }),
});
