import { addDays, startOfDayInAmsterdam } from '../../domain/calendar.js';
import type { AuditPageQuery } from '../../store/integrity.js';

/** The audit history's filters, as GET /audit/events and the accountant's page take them. */
export interface AuditFilters {
  readonly after?: string | undefined;
  readonly limit: number;
  readonly streamPrefix?: string | undefined;
  /** Comma-separated event types. */
  readonly type?: string | undefined;
  /** Recorded on or after this day, in Amsterdam (YYYY-MM-DD). */
  readonly from?: string | undefined;
  /** Recorded on or before this day, in Amsterdam (YYYY-MM-DD). */
  readonly to?: string | undefined;
}

/** The store's page query: days in Amsterdam become the instants they begin and end. */
export function auditPageQueryOf(filters: AuditFilters): AuditPageQuery {
  const { after, limit, streamPrefix, type, from, to } = filters;
  return {
    limit,
    ...(after === undefined ? {} : { after }),
    ...(streamPrefix === undefined ? {} : { streamPrefix }),
    ...(type === undefined ? {} : { types: new Set(type.split(',')) }),
    ...(from === undefined ? {} : { recordedFrom: startOfDayInAmsterdam(from) }),
    ...(to === undefined ? {} : { recordedBefore: startOfDayInAmsterdam(addDays(to, 1)) }),
  };
}
