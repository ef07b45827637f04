import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DateSchema, InstantSchema, YearSchema } from '../../domain/calendar.js';
export { referenceDateFor } from '../../projections/reports.js';
import type { Projection, TimeCut } from '../../projections/projection.js';
import type { ProjectionRunner, Snapshot } from '../../projections/runner.js';
import type { LogChanges } from '../../projections/log-changes.js';
import type { Computed, ViewCache } from '../../projections/view-cache.js';
import { forbidden, principalOf } from '../auth.js';
import { ProblemSchema } from '../write.js';
import { sendAnswerBytes, type AnswerBytes } from '../answer-bytes.js';

/** The two time axes every projection read accepts. */
export const CUT_QUERY = {
  asOf: DateSchema.optional().describe('business-date cut YYYY-MM-DD: "what was true on 31 December"'),
  knownAt: InstantSchema.optional().describe('recording cut, an ISO instant: "what did the books say on 5 January"'),
};

export const YearQuerySchema = z.coerce.number().pipe(YearSchema);

export const READ_ERRORS = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 422: ProblemSchema } as const;

/** A read's cut, as its query gives it. */
export type CutQuery = { readonly asOf?: string | undefined; readonly knownAt?: string | undefined };

export function cutOf(query: CutQuery): TimeCut {
  return { ...(query.asOf === undefined ? {} : { asOf: query.asOf }), ...(query.knownAt === undefined ? {} : { knownAt: query.knownAt }) };
}

/**
 * The financier whose data a request may see: a financier token sees only its own (asking for
 * another is a 403); other roles see the one they ask for, or all.
 */
export function financierFilterFor(request: FastifyRequest, asked: string | undefined): string | undefined {
  const principal = principalOf(request);
  if (principal.role !== 'financier') return asked;
  if (asked !== undefined && asked !== principal.scope) throw forbidden(`this token may only see financier ${principal.scope}`);
  return principal.scope;
}

/**
 * The header a read answers with: the log position its answer reflects (the last event folded
 * in, `empty` before the first). Reads marked `answer-now` do not wait behind a long catch-up
 * (docs/projections.md, "Fast reads"); this header tells the client how far the answer reaches.
 */
export const LEDGER_POSITION_HEADER = 'Ledger-Position';

/** How the read routes ask the runner: never behind a long catch-up, since they say their position. */
export const READ_NOW = { duringCatchUp: 'answer-now' } as const;

export function answeredAt(reply: FastifyReply, position: string): void {
  reply.header(LEDGER_POSITION_HEADER, position);
}

/** The part of a cache key that tells a cut read from the live one at the same position. */
export function cutKeyOf(query: { asOf?: string | undefined; knownAt?: string | undefined }): string {
  return `${query.asOf ?? ''}|${query.knownAt ?? ''}`;
}

/** A read through a cut (?asOf, ?knownAt), not of the live books. */
export function isCutRead(query: CutQuery): boolean {
  return query.asOf !== undefined || query.knownAt !== undefined;
}

/** Where a hot read's answers come from: made once per route. */
export interface CachedAnswers {
  readonly projections: ProjectionRunner;
  readonly changes: LogChanges;
  readonly answers: ViewCache<AnswerBytes>;
}

/** A hot read: the projections it reads, its query's cut, and its answer's key in the cache. */
export interface CachedRead<P extends readonly Projection<any>[]> {
  readonly projections: P;
  readonly query: CutQuery;
  readonly key: string;
}

/**
 * Sends a hot read's cached answer (computing it on a miss): in the handler's own call when that
 * needs no promise (`sendCachedAnswerNow`, the common case), otherwise after reading the states
 * (`sendCachedAnswerLater`). `computeFor` takes the states, checks what must exist (throwing a
 * refusal), and returns how to compute the answer. Returns what the route's handler returns:
 * undefined when the answer is sent, or a promise that settles once it is (fastify sends nothing
 * more for a handler that sent its answer and returns or resolves to undefined).
 */
export function sendCachedAnswer<P extends readonly Projection<any>[]>(
  request: FastifyRequest,
  reply: FastifyReply,
  source: CachedAnswers,
  read: CachedRead<P>,
  computeFor: (snapshot: Snapshot<P>) => () => Computed<AnswerBytes>,
): undefined | Promise<void> {
  if (sendCachedAnswerNow(request, reply, source, read, computeFor)) return undefined;
  return sendCachedAnswerLater(request, reply, source, read, computeFor);
}

/**
 * `sendCachedAnswer` without a promise: a live read with nothing to catch up (`readManyNow`) and
 * nothing new for the view cache. False when it sent nothing.
 */
function sendCachedAnswerNow<P extends readonly Projection<any>[]>(
  request: FastifyRequest,
  reply: FastifyReply,
  source: CachedAnswers,
  read: CachedRead<P>,
  computeFor: (snapshot: Snapshot<P>) => () => Computed<AnswerBytes>,
): boolean {
  const now = isCutRead(read.query) ? undefined : source.projections.readManyNow?.(read.projections);
  if (now === undefined || source.changes.mustCatchUp(now.position)) return false;
  const compute = computeFor(now);
  answeredAt(reply, now.position);
  sendAnswerBytes(request, reply, source.answers.forRead(false, now.position, read.key, compute).view);
  return true;
}

/** `sendCachedAnswerNow`'s other case: the states read (and caught up) first, as every read did before. */
async function sendCachedAnswerLater<P extends readonly Projection<any>[]>(
  request: FastifyRequest,
  reply: FastifyReply,
  source: CachedAnswers,
  read: CachedRead<P>,
  computeFor: (snapshot: Snapshot<P>) => () => Computed<AnswerBytes>,
): Promise<void> {
  const snapshot = await source.projections.readMany(read.projections, cutOf(read.query), READ_NOW);
  const answer = await cachedView(source.answers, source.changes, read.query, snapshot.position, read.key, computeFor(snapshot));
  answeredAt(reply, snapshot.position);
  sendAnswerBytes(request, reply, answer.view);
}

/**
 * A cached view for a read at `position`: a live read catches `changes` up first, then may reuse
 * a view from an earlier position whose parts nothing touched since; a cut read reuses only the
 * same cut at the same position.
 */
export async function cachedView<View>(
  cache: ViewCache<View>,
  changes: LogChanges,
  query: CutQuery,
  position: string,
  key: string,
  compute: () => Computed<View>,
): Promise<Computed<View>> {
  const throughCut = isCutRead(query);
  if (!throughCut && changes.mustCatchUp(position)) await changes.catchUp(position);
  return cache.forRead(throughCut, position, key, compute);
}
