import type { Db } from '../db/client.js';
import { createArticleLoaders } from './articles.js';
import { createEntityLoaders } from './entities.js';
import { createEventLoaders } from './events.js';
import { createPageLinkLoaders } from './pageLinks.js';
import { createPeopleLoaders } from './people.js';
import { createQuoteLoaders } from './quotes.js';
import { createRelatedLoaders } from './related.js';
import { createSearchLoaders } from './search.js';
import { createSourceLoaders } from './sources.js';
import { createStorylineLoaders } from './storylines.js';
import { createTopicLoaders } from './topics.js';
import { BatchLoader } from './util.js';

export interface LoaderOptions {
  /** Told the size of every batch, with the loader's name (its key in the returned object). */
  onBatch?: (loader: string, size: number) => void;
}

/** Every DataLoader for one request. Create one set per request: the caches must not outlive it. */
export function createLoaders(db: Db, options: LoaderOptions = {}) {
  const articleLoaders = createArticleLoaders(db);
  const peopleLoaders = createPeopleLoaders(db);
  const loaders = {
    ...articleLoaders,
    ...peopleLoaders,
    ...createTopicLoaders(db),
    ...createQuoteLoaders(db, peopleLoaders.personById),
    ...createEventLoaders(db),
    ...createEntityLoaders(db),
    ...createPageLinkLoaders(db),
    ...createSourceLoaders(db),
    ...createRelatedLoaders(db, articleLoaders.articleById),
    ...createSearchLoaders(db),
    ...createStorylineLoaders(db, articleLoaders.primeArticles),
  };
  const { onBatch } = options;
  if (onBatch) {
    for (const [name, loader] of Object.entries(loaders)) {
      if (loader instanceof BatchLoader) loader.onBatch = (size) => onBatch(name, size);
    }
  }
  return loaders;
}

export type Loaders = ReturnType<typeof createLoaders>;
