import './article.js';
import './entity.js';
import './event.js';
import './pageLink.js';
import './person.js';
import './quote.js';
import './related.js';
import './search.js';
import './source.js';
import './storyline.js';
import './subscription.js';
import './topic.js';
import { buildSchema } from './builder.js';

export const schema = buildSchema();
