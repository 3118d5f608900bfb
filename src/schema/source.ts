import type { SourceRow } from '../loaders/sources.js';
import { builder, parseLocalId } from './builder.js';
import type { Context } from './context.js';

export const Source = builder.objectRef<SourceRow>('Source');

builder.node(Source, {
  description: 'A publication that stories come from, e.g. "People\'s Daily Online".',
  id: { resolve: (s) => s.id, parse: parseLocalId },
  loadMany: (ids, ctx: Context) => Promise.all(ids.map((id) => ctx.loaders.sourceById.load(id))),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name of the publication.' }),
  }),
});
