import './article.js';
import './entity.js';
import './event.js';
import './pageLink.js';
import './person.js';
import './quote.js';
import './related.js';
import './source.js';
import './topic.js';
import { builder } from './builder.js';

export const schema = builder.toSchema();
