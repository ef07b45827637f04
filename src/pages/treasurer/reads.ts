import { dateInAmsterdam, yearOf } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { DEFAULT_REMINDER_POLICY } from '../../domain/receivables/reminders.js';
import type { AppServices } from '../../http/services.js';
import { documentsProjection } from '../../projections/documents.js';
import { pettyCashProjection } from '../../projections/petty-cash.js';
import { pledgesProjection } from '../../projections/pledges.js';
import { receivablesProjection } from '../../projections/receivables.js';
import { registryProjection } from '../../projections/registry.js';
import { roomsProjection } from '../../projections/rooms.js';
import { roomBudgetView } from '../../projections/views/budget.js';
import { overdueReport } from '../../projections/views/invoices.js';
import { unallocatedPayments } from '../../projections/views/payments.js';
import { pettyCashView } from '../../projections/views/petty-cash.js';
import { withReminders } from '../../projections/views/reminders.js';
import { ruleText } from '../forms/refusal.js';
import { text } from './text.js';

/** Reads of the projections the API's read routes answer from, for the pages. */
export function pageReads(services: AppServices) {
  const { projections, clock } = services;
  const today = () => dateInAmsterdam(clock());
  return {
    async dashboard() {
      const [receivables, documents, registry] = await Promise.all([
        projections.read(receivablesProjection, {}),
        projections.read(documentsProjection, {}),
        projections.read(registryProjection, {}),
      ]);
      const referenceDate = today();
      return {
        overdue: withReminders(overdueReport(receivables, referenceDate), documents, referenceDate, services.reminderPolicy ?? DEFAULT_REMINDER_POLICY),
        unallocated: unallocatedPayments(receivables),
        financierNames: new Map([...registry.financiers.values()].map((financier) => [financier.financierId, financier.name])),
        kamerNames: new Map([...registry.kamers.values()].map((kamer) => [kamer.kamerId, kamer.name])),
      };
    },
    async rooms(year: number) {
      const [registry, pledges, rooms, pettyCash] = await Promise.all([
        projections.read(registryProjection, {}),
        projections.read(pledgesProjection, {}),
        projections.read(roomsProjection, {}),
        projections.read(pettyCashProjection, {}),
      ]);
      return [...registry.kamers.values()].map((kamer) => {
        let budget;
        try {
          budget = roomBudgetView({ registry, pledges, rooms }, kamer.kamerId, year);
        } catch (error) {
          // The API refuses the budget read without a volunteer rate; the page says so for that room only.
          if (!(error instanceof DomainError)) throw error;
          budget = { refused: ruleText(text, error.code) };
        }
        return { kamer: kamer.kamerId, name: kamer.name, budget, pettyCash: pettyCashView(pettyCash, kamer.kamerId, year) };
      });
    },
    async choices() {
      const registry = await projections.read(registryProjection, {});
      return {
        kamers: Object.fromEntries([...registry.kamers.values()].map((kamer) => [kamer.kamerId, kamer.name])),
        financiers: Object.fromEntries([...registry.financiers.values()].map((financier) => [financier.financierId, financier.name])),
      };
    },
    thisYear: () => yearOf(today()),
  };
}
