import { z } from 'zod';
import { nothingDatedInYearSince, readYearStream, stillVerifies, asVerification, yearStateOf } from '../../application/years.js';
import { dateInAmsterdam, YearSchema } from '../../domain/calendar.js';
import { streams, type EventData } from '../../domain/events.js';
import { yearsDecider, type YearState } from '../../domain/years/decider.js';
import { renderYearFiles, sha256Of } from '../../exports/year-files.js';
import { logVerdict } from '../../application/log-verdict.js';
import { verifyLog } from '../../store/integrity.js';
import { comparePositions, type EventStore, type RecordedEvent } from '../../store/port.js';
import type { RoutePlugin } from '../services.js';
import { commandMetadata, created, PositionSchema, ProblemSchema, sendAnswer, WRITE_ERRORS } from '../write.js';

const YearParams = z.strictObject({ year: z.coerce.number().pipe(YearSchema).describe('the (calendar) year, e.g. 2019') });
const Text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

const CheckBody = z.strictObject({ remarks: Text(5000).describe("the kascommissie's findings, as they would write them in their report") });
const ApprovalBody = z.strictObject({ note: Text(2000).optional().describe("the accountant's remark with the approval") });
const CloseBody = z.strictObject({ note: Text(2000).optional().describe("the treasurer's remark with the closing") });
const ReopenBody = z.strictObject({ reason: Text(2000).describe('why the closed year must be opened again: required') });

const Hash = z.string().regex(/^[0-9a-f]{64}$/);
const StatusSchema = z.enum(['open', 'checked', 'approved', 'closed']);
const Covers = z
  .object({ position: PositionSchema, digest: Hash, events: z.number().int() })
  .describe('the log as it stood: every event up to `position`, whose hashes fold into `digest` (GET /audit/digest)');
const FileHashes = z.array(z.object({ name: z.string(), sha256: Hash })).describe('SHA-256 of each year file as GET /exports/* serves it');

const CheckCreated = z.object({ year: z.number().int(), status: StatusSchema, covers: Covers, position: PositionSchema });
const ApprovalCreated = CheckCreated;
const CloseCreated = z.object({
  year: z.number().int(),
  status: StatusSchema,
  filesAtPosition: PositionSchema,
  closedAt: z.string(),
  files: FileHashes,
  position: PositionSchema,
});
const ReopenCreated = z.object({ year: z.number().int(), status: StatusSchema, reason: z.string(), position: PositionSchema });

const Who = { by: z.string().describe("the token's subject"), at: z.string().describe('when it was recorded (UTC)') };
const Vouched = { verifies: z.boolean().describe('the log still verifies up to `position` and gives `digest` there'), problem: z.string().optional() };
const YearView = z.object({
  year: z.number().int(),
  status: StatusSchema,
  checks: z.array(z.object({ ...Who, remarks: z.string(), ...Covers.shape, ...Vouched })),
  approval: z.object({ ...Who, note: z.string().optional(), ...Covers.shape, ...Vouched }).nullable().describe('null when not approved, or withdrawn by a reopening'),
  closing: z.object({ ...Who, note: z.string().optional(), filesAtPosition: PositionSchema, closedAt: z.string(), files: FileHashes }).nullable(),
  history: z.array(z.object({ ...Who, event: z.enum(['checked', 'approved', 'closed', 'reopened']), position: PositionSchema, reason: z.string().optional() })),
});

const HISTORY_NAME = { YearChecked: 'checked', YearApproved: 'approved', YearClosed: 'closed', YearReopened: 'reopened' } as const;

/** The answer to a check or an approval: the log it covers, as its event recorded it. */
function coveredLog(year: number) {
  return ({ events, state, position }: { events: readonly RecordedEvent[]; state: YearState; position: string | undefined }) => {
    const { position: covered, digest, events: count } = events[0]!.data as EventData<'YearChecked' | 'YearApproved'>;
    return { year, status: state.status, covers: { position: covered, digest, events: count }, position };
  };
}

const who = (record: RecordedEvent) => ({ by: record.metadata.recordedBy, at: record.metadata.recordedAt });

/** The year's state for GET /years/:year: each check and the standing approval re-verified against the log now. */
async function yearView(store: EventStore, year: number): Promise<z.infer<typeof YearView>> {
  const records = await readYearStream(store, year);
  // Verified once and kept while nothing written changes (log-verdict.ts), through the last position a check or approval vouched for.
  const verdict = records.length === 0 ? undefined : await logVerdict(store, highestVouched(records));
  const vouched = async (data: { position: string; digest: string }) => stillVerifies(store, verdict!, data);
  const checks = [];
  let approval: z.infer<typeof YearView>['approval'] = null;
  let closing: z.infer<typeof YearView>['closing'] = null;
  for (const record of records) {
    if (record.type === 'YearChecked') {
      const { year: _year, ...data } = record.data as EventData<'YearChecked'>;
      checks.push({ ...who(record), ...data, ...(await vouched(data)) });
    } else if (record.type === 'YearApproved') {
      const { year: _year, ...data } = record.data as EventData<'YearApproved'>;
      approval = { ...who(record), ...data, ...(await vouched(data)) };
    } else if (record.type === 'YearClosed') {
      const { year: _year, ...data } = record.data as EventData<'YearClosed'>;
      closing = { ...who(record), ...data };
    } else {
      // A reopening withdraws the approval and ends the closing.
      approval = null;
      closing = null;
    }
  }
  const history = records.map((record) => ({
    ...who(record),
    event: HISTORY_NAME[record.type as keyof typeof HISTORY_NAME],
    position: record.position,
    ...(record.type === 'YearReopened' ? { reason: (record.data as EventData<'YearReopened'>).reason } : {}),
  }));
  return { year, status: yearStateOf(records).status, checks, approval, closing, history };
}

/** The highest log position the year's checks and approvals vouched for. */
function highestVouched(records: readonly RecordedEvent[]): string | undefined {
  let highest: string | undefined;
  for (const record of records) {
    if (record.type !== 'YearChecked' && record.type !== 'YearApproved') continue;
    const { position } = record.data as EventData<'YearChecked' | 'YearApproved'>;
    if (highest === undefined || comparePositions(position, highest) > 0) highest = position;
  }
  return highest;
}

/**
 * Closing the year (issue 12, docs/years.md): the kascommissie checks, the accountant approves,
 * the treasurer closes, the accountant may reopen. Each is an event in the stream `year-<year>`.
 */
export const yearRoutes: RoutePlugin = async (app, { services }) => {
  const { commands, store } = services;
  const today = () => dateInAmsterdam(services.clock());
  const verifiedNow = async () => asVerification(await verifyLog(store));

  app.get(
    '/years/:year',
    {
      config: { access: ['treasurer', 'accountant', 'kascommissie'] },
      schema: {
        tags: ['years'],
        summary: "A year's state: open, checked, approved or closed; by whom and when; whether each check and the approval still verify",
        params: YearParams,
        response: { 200: YearView, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => yearView(store, request.params.year),
  );

  app.post(
    '/years/:year/checks',
    {
      config: { access: ['kascommissie'] },
      schema: {
        tags: ['years'],
        summary: "The kascommissie's check of an ended year, with its remarks; records the log position and digest it covers",
        params: YearParams,
        body: CheckBody,
        response: { 201: CheckCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { year } = request.params;
      const result = await commands.execute(
        yearsDecider,
        streams.year(year),
        async () => ({ type: 'CheckYear' as const, year, remarks: request.body.remarks, today: today(), verification: await verifiedNow() }),
        commandMetadata(request),
        created(request, coveredLog(year)),
      );
      request.log.info({ year }, 'year checked');
      return sendAnswer(reply, result.answer);
    },
  );

  app.post(
    '/years/:year/approval',
    {
      config: { access: ['accountant'] },
      schema: {
        tags: ['years'],
        summary: "The accountant's approval of a checked year; records the log position and digest it covers",
        params: YearParams,
        body: ApprovalBody,
        response: { 201: ApprovalCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { year } = request.params;
      const note = request.body.note === undefined ? {} : { note: request.body.note };
      const result = await commands.execute(
        yearsDecider,
        streams.year(year),
        async () => ({ type: 'ApproveYear' as const, year, ...note, today: today(), verification: await verifiedNow() }),
        commandMetadata(request),
        created(request, coveredLog(year)),
      );
      request.log.info({ year }, 'year approved');
      return sendAnswer(reply, result.answer);
    },
  );

  app.post(
    '/years/:year/close',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['years'],
        summary: 'Close an approved year: from then on every write dated in it is refused (409 PERIOD_CLOSED); records the SHA-256 of its year files',
        params: YearParams,
        body: CloseBody,
        response: { 201: CloseCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { year } = request.params;
      const stream = streams.year(year);
      let renderedAt = '';
      const result = await commands.execute(
        yearsDecider,
        stream,
        async () => {
          // The files cover the log as it ends now; the guard re-renders if something dated in the year came after.
          renderedAt = (await store.lastPosition()) ?? '0';
          const closedAt = services.clock().toISOString();
          const files = await renderYearFiles(store, { year, position: renderedAt, createdAt: closedAt });
          const hashes = [...files].map(([name, text]) => ({ name, sha256: sha256Of(text) }));
          const note = request.body.note === undefined ? {} : { note: request.body.note };
          return { type: 'CloseYear' as const, closing: { year, filesAtPosition: renderedAt, closedAt, files: hashes, ...note } };
        },
        commandMetadata(request),
        created(request, ({ events, state, position }) => {
          const { filesAtPosition, closedAt, files } = events[0]!.data as EventData<'YearClosed'>;
          return { year, status: state.status, filesAtPosition, closedAt, files, position };
        }),
        nothingDatedInYearSince(year, () => renderedAt),
      );
      request.log.info({ year }, 'year closed');
      return sendAnswer(reply, result.answer);
    },
  );

  app.post(
    '/years/:year/reopen',
    {
      config: { access: ['accountant'] },
      schema: {
        tags: ['years'],
        summary: 'Reopen a closed year (accountant only, with a reason): withdraws the approval',
        params: YearParams,
        body: ReopenBody,
        response: { 201: ReopenCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { year } = request.params;
      const { reason } = request.body;
      const result = await commands.execute(
        yearsDecider,
        streams.year(year),
        () => ({ type: 'ReopenYear' as const, year, reason }),
        commandMetadata(request, reason),
        created(request, ({ state, position }) => ({ year, status: state.status, reason, position })),
      );
      request.log.info({ year }, 'year reopened');
      return sendAnswer(reply, result.answer);
    },
  );
};
