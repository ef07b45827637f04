import type { FastifyRequest } from 'fastify';
import { refuse } from '../../domain/errors.js';
import { paymentsMadeProjection } from '../../projections/payments-made.js';
import { receiptsProjection } from '../../projections/receipts.js';
import { registryProjection, type RegistryState } from '../../projections/registry.js';
import { roomEntriesProjection, type RoomEntriesState } from '../../projections/room-entries.js';
import type { TimeCut } from '../../projections/projection.js';
import { listPaymentsMade, listPettyCashEntries, listReceipts, listVolunteerHours } from '../../projections/views/entries.js';
import { listBudgets, listFinanciers, listKamers } from '../../projections/views/master-data.js';
import { assertScope, forbidden, principalOf } from '../auth.js';
import type { RoutePlugin } from '../services.js';
import {
  BudgetItem,
  BudgetsQuery,
  FinancierItem,
  FinanciersQuery,
  HoursItem,
  HoursQuery,
  KamerItem,
  KamerParams,
  KamersQuery,
  MadeItem,
  MadeQuery,
  pageAnswer,
  PettyCashEntriesQuery,
  PettyCashEntryItem,
  ReceivedItem,
  ReceivedQuery,
} from './list-schemas.js';
import { cutOf, financierFilterFor, READ_ERRORS } from './reads-query.js';

const ROOM_READERS = ['treasurer', 'accountant', 'teamleader'] as const;

/** The room a team leader may see (asking for another is a 403); other roles see the one they ask for, or all. */
function kamerFilterFor(request: FastifyRequest, asked: string | undefined): string | undefined {
  const principal = principalOf(request);
  if (principal.role !== 'teamleader') return asked;
  if (asked !== undefined && asked !== principal.scope) throw forbidden(`this token may only see room ${principal.scope}`);
  return principal.scope;
}

function assertKamer(registry: RegistryState, kamer: string): void {
  if (!registry.kamers.has(kamer)) refuse('NOT_FOUND', `no kamer ${kamer}`, 'kamer');
}

/**
 * The lists the pages (and scripts) page through: rooms, financiers, a room's budgets, payments
 * received and made, a room's volunteer hours and petty-cash entries. One paging convention
 * (`limit`, `offset` → `{ items, total, limit, offset }`), every list bitemporal (?asOf, ?knownAt)
 * and scoped like the other reads: a financier sees only itself and its own receipts, a team
 * leader only its own room.
 */
export const listRoutes: RoutePlugin = async (app, { services }) => {
  const { projections } = services;

  /** A room's entries for a list, after the team leader's scope check; an unknown room is a 404. */
  async function roomEntriesOf(request: FastifyRequest, kamer: string, cut: TimeCut): Promise<RoomEntriesState> {
    assertScope(request, 'teamleader', kamer);
    const [registry, entries] = await Promise.all([projections.read(registryProjection, cut), projections.read(roomEntriesProjection, cut)]);
    assertKamer(registry, kamer);
    return entries;
  }

  app.get(
    '/kamers',
    {
      config: { access: ['treasurer', 'accountant', 'kascommissie', 'teamleader', 'financier'] },
      schema: { tags: ['lists'], summary: "The rooms (a team leader's token: its own room only)", querystring: KamersQuery, response: { 200: pageAnswer(KamerItem), ...READ_ERRORS } },
    },
    async (request) => {
      const principal = principalOf(request);
      const registry = await projections.read(registryProjection, cutOf(request.query));
      const withIban = principal.role === 'treasurer' || principal.role === 'accountant';
      return listKamers(registry, { only: kamerFilterFor(request, undefined), withIban }, request.query);
    },
  );

  app.get(
    '/financiers',
    {
      config: { access: ['treasurer', 'accountant', 'financier'] },
      schema: { tags: ['lists'], summary: "The financiers with their details (a financier's token: itself only)", querystring: FinanciersQuery, response: { 200: pageAnswer(FinancierItem), ...READ_ERRORS } },
    },
    async (request) => {
      const registry = await projections.read(registryProjection, cutOf(request.query));
      return listFinanciers(registry, { only: financierFilterFor(request, undefined), kind: request.query.kind }, request.query);
    },
  );

  app.get(
    '/kamers/:kamer/budgets',
    {
      config: { access: ROOM_READERS },
      schema: { tags: ['lists'], summary: "A room's budgets per year as they stand (the latest PUT of each year)", params: KamerParams, querystring: BudgetsQuery, response: { 200: pageAnswer(BudgetItem), ...READ_ERRORS } },
    },
    async (request) => {
      const { kamer } = request.params;
      assertScope(request, 'teamleader', kamer);
      const registry = await projections.read(registryProjection, cutOf(request.query));
      assertKamer(registry, kamer);
      return listBudgets(registry, kamer, request.query.year, request.query);
    },
  );

  app.get(
    '/payments/received',
    {
      config: { access: ['treasurer', 'accountant', 'financier'] },
      schema: {
        tags: ['lists'],
        summary: "Every received payment with its allocations and allocation state (a financier's token: only payments allocated to it)",
        querystring: ReceivedQuery,
        response: { 200: pageAnswer(ReceivedItem), ...READ_ERRORS },
      },
    },
    async (request) => {
      const { payer, allocation, from, to } = request.query;
      const financier = financierFilterFor(request, request.query.financier);
      const receipts = await projections.read(receiptsProjection, cutOf(request.query));
      return listReceipts(receipts, { financier, payer, allocation, from, to }, request.query);
    },
  );

  app.get(
    '/payments/made',
    {
      config: { access: ROOM_READERS },
      schema: {
        tags: ['lists'],
        summary: "Money paid out: recorded expenses and statement debits, assigned or waiting (a team leader's token: its own room only)",
        querystring: MadeQuery,
        response: { 200: pageAnswer(MadeItem), ...READ_ERRORS },
      },
    },
    async (request) => {
      const { assigned, from, to } = request.query;
      const kamer = kamerFilterFor(request, request.query.kamer);
      const payments = await projections.read(paymentsMadeProjection, cutOf(request.query));
      return listPaymentsMade(payments, { kamer, assigned, from, to }, request.query);
    },
  );

  app.get(
    '/kamers/:kamer/volunteer-hours',
    {
      config: { access: ROOM_READERS },
      schema: { tags: ['lists'], summary: "A room's volunteer-hour entries as they count now, by date", params: KamerParams, querystring: HoursQuery, response: { 200: pageAnswer(HoursItem), ...READ_ERRORS } },
    },
    async (request) => {
      const { kamer } = request.params;
      const { year, month, kind } = request.query;
      return listVolunteerHours(await roomEntriesOf(request, kamer, cutOf(request.query)), kamer, { year, month, kind }, request.query);
    },
  );

  app.get(
    '/kamers/:kamer/petty-cash/entries',
    {
      config: { access: ROOM_READERS },
      schema: {
        tags: ['lists'],
        summary: "A room's petty-cash transfers and spending, by date",
        params: KamerParams,
        querystring: PettyCashEntriesQuery,
        response: { 200: pageAnswer(PettyCashEntryItem), ...READ_ERRORS },
      },
    },
    async (request) => {
      const { kamer } = request.params;
      const { year, month, category, kind } = request.query;
      return listPettyCashEntries(await roomEntriesOf(request, kamer, cutOf(request.query)), kamer, { year, month, category, kind }, request.query);
    },
  );
};
