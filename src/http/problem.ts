import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, type DomainErrorCode } from '../domain/errors.js';
import { IdempotencyKeyTaken, type StoredResponse } from '../store/port.js';
import { isDamage, storageFaultOf, type StorageFault } from '../store/faults.js';

/** The HTTP status of every business rule's refusal: a Record, so an unmapped code does not compile. */
export const STATUS_FOR_CODE: Record<DomainErrorCode, number> = {
  NOT_FOUND: 404,
  UNKNOWN_KAMER: 422,
  UNKNOWN_FINANCIER: 422,
  UNKNOWN_PLEDGE: 422,
  UNKNOWN_INVOICE: 422,
  UNKNOWN_PAYMENT: 422,
  UNKNOWN_BUDGET_LINE: 422,
  DUPLICATE_ID: 409,
  CONCURRENT_CHANGE: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  IDEMPOTENCY_KEY_IN_PROGRESS: 409,
  APPEND_TOO_LARGE: 413,
  PLEDGE_STATUS_TRANSITION: 422,
  PLEDGE_WITHDRAWN: 422,
  PLEDGE_BELOW_CLAIMED: 422,
  PLEDGE_IN_KIND_NOT_PAYABLE: 422,
  PLEDGE_IN_KIND_NOT_INVOICEABLE: 422,
  PLEDGE_SHARE_NOT_AMENDABLE: 422,
  PLEDGE_DOES_NOT_MATCH: 422,
  FINANCIER_DOES_NOT_PAY_BY_INVOICE: 422,
  INVOICE_EXCEEDS_PLEDGE: 422,
  INVOICE_HAS_NO_AMOUNT: 422,
  CREDIT_NOTE_EXCEEDS_OPEN_AMOUNT: 422,
  INVOICE_DATE_BEFORE_PREVIOUS: 422,
  BUYER_REFERENCE_REQUIRED: 422,
  DOCUMENT_DETAILS_MISSING: 422,
  COOPERATIVE_DETAILS_MISSING: 422,
  FINANCIER_DETAILS_MISSING: 422,
  REMINDER_NOT_DUE: 422,
  INVOICE_NOT_OPEN: 422,
  ALLOCATION_EXCEEDS_PAYMENT: 422,
  ALLOCATION_EXCEEDS_INVOICE: 422,
  ALLOCATION_EXCEEDS_PLEDGE: 422,
  ALLOCATION_PAYER_MISMATCH: 422,
  BANK_STATEMENT_INVALID: 400,
  BANK_ENTRY_CONFLICT: 409,
  BANK_ACCOUNT_UNKNOWN: 422,
  BANK_BALANCE_MISMATCH: 422,
  BANK_ENTRY_ALREADY_ASSIGNED: 409,
  PETTY_CASH_MONTHLY_LIMIT: 422,
  PETTY_CASH_INSUFFICIENT: 422,
  VOLUNTEER_HOURS_IN_FUTURE: 422,
  VALUATION_RATE_MISSING: 422,
  PERIOD_CLOSED: 409,
  YEAR_NOT_ENDED: 422,
  YEAR_NOT_CHECKED: 409,
  YEAR_NOT_APPROVED: 409,
  YEAR_NOT_CLOSED: 409,
  LOG_NOT_VERIFIED: 409,
  DATE_IN_FUTURE: 422,
  INVALID_INPUT: 400,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
};

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: readonly FieldError[];
}

export function problem(status: number, code: string, detail: string, errors?: readonly FieldError[]): Problem {
  return {
    type: `https://buurtwerkkamer.nl/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** Thrown by hooks and handlers for answers that are not business rules (401, 403, 404, 415). */
export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

interface ValidationItem {
  readonly keyword?: string;
  readonly instancePath?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

/** "/lines/0/amount" → "lines.0.amount"; unknown keys are named one by one. */
function fieldErrors(validation: readonly ValidationItem[], context: string | undefined): FieldError[] {
  const prefix = context && context !== 'body' ? `${context}.` : '';
  return validation.flatMap((item) => {
    const base = (item.instancePath ?? '').split('/').filter(Boolean).join('.');
    const join = (key: string) => `${prefix}${base ? `${base}.` : ''}${key}`;
    const keys = item.params?.['keys'];
    if (item.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
      return keys.map((key) => ({ path: join(String(key)), message: 'is not a known field' }));
    }
    return [{ path: `${prefix}${base}` || '(body)', message: item.message ?? 'is invalid' }];
  });
}

/** The first answer to an Idempotency-Key again, or a 409 when the key came with another request. */
export function sendStoredAnswer(reply: FastifyReply, stored: StoredResponse, requestHash: string | undefined): FastifyReply {
  if (stored.requestHash !== requestHash) {
    return sendProblem(reply, problem(409, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used before with a different request'));
  }
  return reply.code(stored.status).header('idempotent-replayed', 'true').type('application/json; charset=utf-8').send(stored.body);
}

/** What the error handler knows about the deployment: where the store keeps its data. */
export interface ErrorContext {
  readonly storeLocation?: string;
  /** Told of damage a request met, so that /health reports it from then on. */
  readonly onDamage?: (reason: string) => void;
}

/**
 * A full disk is 507 and a file that cannot be read or written is 503: either way the request's
 * transaction was rolled back, so the answer can say that nothing was written. The operator finds
 * the file and the driver's code in the log.
 */
function storageProblem(fault: StorageFault): Problem {
  if (fault.kind === 'full') {
    return problem(507, 'STORAGE_FULL', `the ledger's storage is full (${fault.code}): nothing was written; retry once the operator has freed space`);
  }
  return problem(503, 'STORAGE_UNAVAILABLE', `the ledger's storage cannot be read or written (${fault.code}): nothing was written; the operator was alerted in the log`);
}

/** The store's own estimate (EventStoreDB: about one leader election), else a few seconds. */
function retryAfterSecondsOf(error: unknown): number {
  const seconds = typeof error === 'object' && error !== null && 'retryAfterSeconds' in error ? error.retryAfterSeconds : undefined;
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds > 0 ? seconds : DEFAULT_RETRY_AFTER_SECONDS;
}
const DEFAULT_RETRY_AFTER_SECONDS = 5;

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply, context: ErrorContext = {}): FastifyReply {
  if (error instanceof HttpProblem) return sendProblem(reply, error.problem);
  // A repeat whose first attempt committed while this one was being decided (another process, or
  // a retry that overtook a stalled first attempt): nothing was written; answer as the first did.
  if (error instanceof IdempotencyKeyTaken) return sendStoredAnswer(reply, error.stored, request.idempotency?.requestHash);
  if (error instanceof DomainError) {
    const status = STATUS_FOR_CODE[error.code];
    const errors = error.field ? [{ path: error.field, message: error.message }] : undefined;
    return sendProblem(reply, problem(status, error.code, error.message, errors));
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = fieldErrors(error.validation as readonly ValidationItem[], error.validationContext);
    const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    return sendProblem(reply, problem(400, 'VALIDATION_FAILED', detail, errors));
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause }, 'response did not match its schema');
    return sendProblem(reply, problem(500, 'INTERNAL', 'the service produced an invalid response; it was logged'));
  }
  const fault = storageFaultOf(error);
  if (fault) {
    request.log.error({ err: error, store: context.storeLocation, code: fault.code }, `storage fault on ${context.storeLocation ?? 'the event store'}`);
    if (isDamage(fault)) context.onDamage?.(error.message);
    // A node failing over or out of reach, a busy file: it passes, so say when to try again
    // (RFC 9110 Retry-After). Damage does not pass: no promise there.
    else if (fault.kind === 'unavailable') reply.header('retry-after', String(retryAfterSecondsOf(error)));
    return sendProblem(reply, storageProblem(fault));
  }
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, problem(500, 'INTERNAL', 'an unexpected error occurred; it was logged'));
  }
  // fastify's own 4xx: malformed JSON, body too large, unsupported media type …
  const code = error.code?.startsWith('FST_') ? error.code.replace(/^FST_ERR_/, '') : 'BAD_REQUEST';
  return sendProblem(reply, problem(status, code, error.message));
}
