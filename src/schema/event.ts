import type { EventRow } from '../loaders/events.js';
import { ArticleConnection, articleConnection } from './article.js';
import { builder, parseLocalId } from './builder.js';
import type { Context } from './context.js';
import { afterCursor, pageArgs, pageSize } from './pagination.js';

export const Event = builder.objectRef<EventRow>('Event');

builder.node(Event, {
  description: 'A named event stories mention, e.g. a summit or a dialogue ("12th Shangri-la Dialogue").',
  id: { resolve: (e) => e.id, parse: parseLocalId },
  loadMany: (ids, ctx: Context) => Promise.all(ids.map((id) => ctx.loaders.eventById.load(id))),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name as the stories give it.' }),
    articles: t.field({
      type: ArticleConnection,
      description: 'Stories that mention this event, newest first.',
      args: pageArgs,
      resolve: async (event, args, ctx) => {
        const first = pageSize(args.first);
        const after = afterCursor('a', args.after);
        const page = await ctx.loaders.articlesByEventId.load({ parentId: event.id, first, after });
        return articleConnection(page, after !== null, () => ctx.loaders.articleCountByEventId.load(event.id));
      },
    }),
  }),
});
