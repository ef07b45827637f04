import type { PledgeStatus, EventData, Share } from '../domain/events.js';
import type { Projection } from './projection.js';
import { roomYearKey } from './registry.js';

/** A pledge as it stands now: its status and amount after every status change and amendment. */
export interface PledgeRecord {
  readonly id: string;
  readonly financierId: string;
  readonly kamerId: string;
  readonly year: number;
  /** The pledged amount after amendments; absent for a share pledge. */
  amount: string | undefined;
  readonly share: Share | undefined;
  readonly form: EventData<'PledgeMade'>['form'];
  status: PledgeStatus;
  readonly reference: string | undefined;
  readonly referenceDate: string | undefined;
  readonly note: string | undefined;
}

export interface PledgesState {
  /** In the order the pledges were made. */
  readonly byId: Map<string, PledgeRecord>;
  readonly byRoomYear: Map<string, PledgeRecord[]>;
  readonly byFinancier: Map<string, PledgeRecord[]>;
}

function addTo<K, V>(index: Map<K, V[]>, key: K, value: V): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}

/**
 * Which pledges a pledges fold keeps: every one (the service), or only those of one year (a report
 * on that year, whose memory must not grow with the log; a later event about another year's
 * pledge then finds nothing to change and is passed over).
 */
function pledgesFold(name: string, year: number | undefined): Projection<PledgesState> {
  return {
    name,
    eventTypes: ['PledgeMade', 'PledgeStatusChanged', 'PledgeAmended'],
    initial: () => ({ byId: new Map(), byRoomYear: new Map(), byFinancier: new Map() }),
    apply(state, { event }) {
      switch (event.type) {
        case 'PledgeMade': {
          const { data } = event;
          if (year !== undefined && data.year !== year) break;
          const pledge: PledgeRecord = {
            id: data.pledgeId,
            financierId: data.financierId,
            kamerId: data.kamerId,
            year: data.year,
            amount: data.amount,
            share: data.share,
            form: data.form,
            status: data.status,
            reference: data.reference,
            referenceDate: data.referenceDate,
            note: data.note,
          };
          state.byId.set(pledge.id, pledge);
          addTo(state.byRoomYear, roomYearKey(pledge.kamerId, pledge.year), pledge);
          addTo(state.byFinancier, pledge.financierId, pledge);
          break;
        }
        case 'PledgeStatusChanged': {
          const pledge = state.byId.get(event.data.pledgeId);
          if (pledge) pledge.status = event.data.to;
          break;
        }
        case 'PledgeAmended': {
          const pledge = state.byId.get(event.data.pledgeId);
          if (pledge) pledge.amount = event.data.amount;
          break;
        }
        default:
          break;
      }
      return state;
    },
  };
}

export const pledgesProjection: Projection<PledgesState> = pledgesFold('pledges', undefined);

/** The pledges of one year only (the pledge's year). */
export function yearPledgesProjection(year: number): Projection<PledgesState> {
  return pledgesFold(`pledges:${year}`, year);
}
