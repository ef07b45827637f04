import { nl, type PageText } from '../text/nl.js';

/**
 * The catalogue the treasurer's pages speak: Dutch, the cooperative's language. One typed object
 * (PageText), so pointing this at `en` (src/pages/text/en.ts) is all a switch of language takes.
 */
export const text: PageText = nl;
