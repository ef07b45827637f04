import { z } from 'zod';
import { DomainEventSchema } from '../../domain/events.js';
import { refuse } from '../../domain/errors.js';
import { DateSchema, InstantSchema } from '../../domain/calendar.js';
import { auditPageQueryOf } from './audit-query.js';
import { digestAt, digestKnownAt, readAuditPage, type AuditEntry } from '../../store/integrity.js';
import { verifyWithAnchors } from '../../store/anchors.js';
import { comparePositions } from '../../store/port.js';
import type { RoutePlugin } from '../services.js';
import { ProblemSchema } from '../write.js';

export const EVENT_TYPES: ReadonlySet<string> = new Set(DomainEventSchema.options.map((option) => option.shape.type.value));

/** The kascommissie verifies the log it checks, as the accountant does (docs/years.md). */
const AUDIT_ACCESS = ['accountant', 'treasurer', 'kascommissie'] as const;

const LogPosition = z.string().regex(/^\d+$/, 'must be a log position: a decimal number');
const Hash = z.string().regex(/^[0-9a-f]{64}$/);

const EventsQuery = z.strictObject({
  after: LogPosition.optional().describe('only events after this position: the `next` of the previous page'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  streamPrefix: z.string().min(1).max(200).optional().describe('only streams whose name starts with this, e.g. `pledge-`'),
  type: z
    .string()
    .refine((value) => value.split(',').every((type) => EVENT_TYPES.has(type)), {
      message: `must be one or more event types, comma-separated, of: ${[...EVENT_TYPES].join(', ')}`,
    })
    .optional()
    .describe('only these event types, comma-separated, e.g. `InvoiceIssued,CreditNoteIssued`'),
  from: DateSchema.optional().describe('only events recorded on or after this day (Amsterdam), YYYY-MM-DD'),
  to: DateSchema.optional().describe('only events recorded on or before this day (Amsterdam), YYYY-MM-DD'),
});

const AuditEvent = z.object({
  position: LogPosition,
  stream: z.string(),
  revision: z.number().int(),
  id: z.string(),
  type: z.string(),
  data: z.unknown(),
  recordedAt: z.string(),
  recordedBy: z.string(),
  reason: z.string().optional(),
  idempotencyKey: z.string().optional().describe("the request's Idempotency-Key, when it had one: part of the hashed metadata"),
  correlationId: z.string(),
  causationId: z.string(),
  hash: Hash,
  previousHash: Hash.nullable().describe("the previous event's hash in the same stream (64 zeros for a stream's first event); null when that event is missing from the log"),
});
const EventsPage = z.object({ events: z.array(AuditEvent), next: LogPosition.nullable() });

const AnchorsReport = z
  .object({
    checked: z.number().int().describe('lines in the anchor file'),
    ok: z.number().int().describe('anchors whose digest the log still gives at their position'),
    firstBad: z
      .object({
        line: z.number().int(),
        position: LogPosition.nullable(),
        time: z.string().nullable(),
        anchored: Hash.nullable(),
        digest: Hash.nullable().describe('the digest the log gives at that position now; null when the log ends before it'),
        problem: z.string(),
      })
      .optional(),
    lastGoodPosition: LogPosition.optional().describe('the log is unchanged up to here: an agreeing anchor vouches for it'),
  })
  .describe('every anchor (a digest written outside the database) recomputed and compared');

const VerifyAnswer = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), events: z.number().int(), lastPosition: LogPosition.nullable(), lastHash: Hash.nullable(), digest: Hash, anchors: AnchorsReport }),
  z.object({ ok: z.literal(false), events: z.number().int(), firstBadPosition: LogPosition, stream: z.string(), problem: z.string(), anchors: AnchorsReport }),
]);

const DigestQuery = z.strictObject({
  at: LogPosition.optional().describe('the position to take the digest at; the newest event when absent'),
  knownAt: InstantSchema.optional().describe('the digest of the log as it stood at this instant: its events recorded at or before it; not with `at`'),
});
const DigestAnswer = z.object({ position: LogPosition, digest: Hash, events: z.number().int() });

const READ_ERRORS = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema } as const;

function toAuditEvent({ event, previousHash }: AuditEntry): z.infer<typeof AuditEvent> {
  const { recordedAt, recordedBy, reason, idempotencyKey, correlationId, causationId } = event.metadata;
  return {
    position: event.position,
    stream: event.stream,
    revision: event.revision,
    id: event.id,
    type: event.type,
    data: event.data,
    recordedAt,
    recordedBy,
    ...(reason === undefined ? {} : { reason }),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    correlationId,
    causationId,
    hash: event.hash,
    previousHash,
  };
}

/** The accountant's view of the log itself: the history in order, its hash chains, and digests to keep. */
export const auditRoutes: RoutePlugin = async (app, { services }) => {
  const { store } = services;

  app.get(
    '/audit/events',
    {
      config: { access: AUDIT_ACCESS },
      schema: {
        tags: ['audit'],
        summary: 'Every event in log order, with who recorded it, when, why, and its hash chain',
        querystring: EventsQuery,
        response: { 200: EventsPage, ...READ_ERRORS },
      },
    },
    async (request) => {
      const { entries, next } = await readAuditPage(store, auditPageQueryOf(request.query));
      return { events: entries.map(toAuditEvent), next };
    },
  );

  app.get(
    '/audit/verify',
    {
      config: { access: AUDIT_ACCESS },
      schema: {
        tags: ['audit'],
        summary: 'Recompute every hash chain and check every anchor: ok with a digest to keep, or the first position that was tampered with',
        response: { 200: VerifyAnswer, ...READ_ERRORS },
      },
    },
    async () => verifyWithAnchors(store, services.anchorFile),
  );

  app.get(
    '/audit/digest',
    {
      config: { access: AUDIT_ACCESS },
      schema: {
        tags: ['audit'],
        summary: 'The digest of the log up to a position: keep it (e.g. at year end) to prove later that nothing before it changed',
        querystring: DigestQuery,
        response: { 200: DigestAnswer, ...READ_ERRORS, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { knownAt } = request.query;
      if (knownAt !== undefined) {
        if (request.query.at !== undefined) refuse('INVALID_INPUT', 'give either at (a position) or knownAt (an instant), not both', 'knownAt');
        // Like a position the log has not reached, a moment still to come has no digest yet.
        if (new Date(knownAt) > services.clock()) refuse('NOT_FOUND', `${knownAt} is still to come; there is no digest at it yet`, 'knownAt');
        return digestKnownAt(store, new Date(knownAt));
      }
      const last = (await store.lastPosition()) ?? '0';
      const position = BigInt(request.query.at ?? last).toString();
      // A digest "at" a position the log has not reached yet would change as soon as it does.
      if (comparePositions(position, last) > 0) {
        refuse('NOT_FOUND', `the log ends at position ${last}; there is no digest at ${position} yet`, 'at');
      }
      const { digest, events } = await digestAt(store, position);
      return { position, digest, events };
    },
  );
};
