// Lets Node run packages/core/src/*.ts directly (Node 22.18+ strips types by default): the
// sources import each other with `.js` suffixes (NodeNext style), so map those to `.ts`
// when the importer is a .ts file. Measures the source as-is, without a build step.
import { register } from 'node:module';

register('./source-resolve.mjs', import.meta.url);
