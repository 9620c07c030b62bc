import { builder } from './builder.js';
import './scalars.js';
import './pagination.js';
import './filter.js';
import './article.js';
import './story.js';
import './topic.js';
import './source.js';
import './admin.js';
import './subscription.js';

builder.queryType({ description: 'Read access to the aggregated news: public, no authentication.' });

export const schema = builder.toSchema({ sortSchema: true });

