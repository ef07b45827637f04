import type { FastifyInstance } from 'fastify';
import { HttpProblem, problem } from './problem.js';

/** No request of this API nests deeper than a handful of levels; 32 leaves room and stops abuse. */
export const MAX_JSON_DEPTH = 32;

/**
 * True when the JSON text nests arrays or objects deeper than `limit`. A linear scan of the raw
 * text, before JSON.parse: a body of 750,000 opening brackets must be refused here, not overflow
 * the stack of every recursive walk (validation, the request's fingerprint) after parsing.
 */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index += 1; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b || char === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (char === 0x5d || char === 0x7d) {
      depth -= 1;
    }
  }
  return false;
}

/** fastify's own JSON parser (prototype-poisoning safe), behind the depth check. */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        new HttpProblem(
          problem(400, 'BODY_TOO_DEEP', `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels; nothing was written`, [
            { path: '(body)', message: `nests deeper than ${MAX_JSON_DEPTH} levels` },
          ]),
        ),
        undefined,
      );
      return;
    }
    parseJson(request, text, done);
  });
}
