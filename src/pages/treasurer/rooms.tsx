import { euro } from '../../documents/format.js';
import { formatAmount, subtract, sum } from '../../domain/money.js';
import type { RoomBudgetView } from '../../projections/views/budget.js';
import type { PettyCashView } from '../../projections/views/petty-cash.js';
import { Layout } from '../layout.js';
import { YearForm } from '../year-form.js';
import { MONTH_NAMES } from '../text/nl.js';
import { Field, Notice } from '../forms/fields.js';
import { AmountField, TreasurerForm } from './form-fields.js';
import { EMPTY_FORM, type FormState } from '../forms/input.js';
import { TreasurerNav } from './nav.js';
import { Table } from '../table.js';
import { text } from './text.js';

const t = text.treasurer;

export interface RoomFigures {
  readonly kamer: string;
  readonly name: string;
  /** GET /kamers/:kamer/budget/:year, or the Dutch rule that refused it (a volunteer rate missing). */
  readonly budget: RoomBudgetView | { readonly refused: string };
  /** GET /kamers/:kamer/petty-cash?year= */
  readonly pettyCash: PettyCashView;
}

export interface RoomsPageProps {
  readonly signedInAs: string;
  readonly csrfToken: string;
  readonly notice?: string | undefined;
  readonly year: number;
  readonly rooms: readonly RoomFigures[];
  /** A refused transfer: the room it was for and the form as it was sent. */
  readonly refusedTransfer?: { readonly kamer: string; readonly state: FormState };
}

/** Each room's budget against its spending per line with the funding gap, and its petty cash per month. */
export function RoomsPage({ signedInAs, csrfToken, notice, year, rooms, refusedTransfer }: RoomsPageProps) {
  return (
    <Layout title={`${t.rooms} ${year}`} signedInAs={signedInAs} csrfToken={csrfToken}>
      <TreasurerNav current="/penningmeester/kamers" />
      <Notice notice={notice} />
      <YearForm action="/penningmeester/kamers" year={year} label={t.yearLabel} submit={t.showYear} />
      {rooms.length === 0 && <p class="utrecht-paragraph">{t.roomsNone}</p>}
      {rooms.map((room) => (
        <section aria-labelledby={`kamer-${room.kamer}`} class="room">
          <h2 class="utrecht-heading-2" id={`kamer-${room.kamer}`}>
            {room.name}
          </h2>
          <Budget room={room} year={year} />
          <PettyCash room={room} year={year} csrfToken={csrfToken} state={refusedTransfer?.kamer === room.kamer ? refusedTransfer.state : EMPTY_FORM} />
        </section>
      ))}
    </Layout>
  );
}

function Budget({ room, year }: { room: RoomFigures; year: number }) {
  const { budget } = room;
  const heading = <h3 class="utrecht-heading-3">{t.budget(room.name, year)}</h3>;
  if ('refused' in budget) {
    return (
      <>
        {heading}
        <p class="utrecht-paragraph form-error">{budget.refused}</p>
      </>
    );
  }
  const budgeted = new Map(budget.budget.lines.map((line) => [line.line, line]));
  // Spending on a line the budget does not have (a later budget dropped it) still shows, budgeted 0.
  const lines = [...budget.budget.lines.map((line) => line.line), ...Object.keys(budget.spent.byLine).filter((line) => !budgeted.has(line))];
  const pettyCashSpent = formatAmount(sum(Object.values(budget.spent.pettyCash)));
  return (
    <>
      {heading}
      {budget.budget.lines.length === 0 && <p class="utrecht-paragraph">{t.budgetNone}</p>}
      <Table
        rowHeaders
        columns={[{ heading: t.line }, { heading: t.budgeted, numeric: true }, { heading: t.spent, numeric: true }, { heading: t.remaining, numeric: true }]}
        rows={[
          ...lines.map((line) => budgetRow(budgeted.get(line)?.label ?? line, budgeted.get(line)?.amount ?? '0.00', budget.spent.byLine[line] ?? '0.00')),
          budgetRow(t.pettyCashSpent, '0.00', pettyCashSpent),
        ]}
        footer={budgetRow(t.total, budget.budget.total, budget.spent.total)}
      />
      <dl class="figures">
        <div>
          <dt>{t.committed}</dt>
          <dd>{euro(budget.pledged.committed)}</dd>
        </div>
        <div>
          <dt>{t.fundingGap}</dt>
          <dd>{euro(budget.fundingGap)}</dd>
        </div>
      </dl>
    </>
  );
}

/** A budget line's cells: what was budgeted, spent, and what remains. */
function budgetRow(label: string, budgeted: string, spent: string): string[] {
  return [label, euro(budgeted), euro(spent), euro(subtract(budgeted, spent))];
}

function PettyCash({ room, year, csrfToken, state }: { room: RoomFigures; year: number; csrfToken: string; state: FormState }) {
  const { pettyCash } = room;
  const form = `handgeld-${room.kamer}`;
  return (
    <>
      <h3 class="utrecht-heading-3">{t.pettyCash(room.name, year)}</h3>
      <Table
        rowHeaders
        columns={[{ heading: t.month }, { heading: t.transferred, numeric: true }, { heading: t.spent, numeric: true }, { heading: t.balance, numeric: true }]}
        rows={pettyCash.months.map((month) => [MONTH_NAMES[Number.parseInt(month.month.slice(5), 10) - 1], euro(month.transferred), euro(month.spentTotal), euro(month.balance)])}
      />
      <h4 class="utrecht-heading-4 no-print">{t.transferLegend(room.name)}</h4>
      <TreasurerForm action={`/penningmeester/kamers/${room.kamer}/handgeld`} csrfToken={csrfToken} state={state} submit={t.transfer} label={t.transferLegend(room.name)}>
        <Field form={form} name="date" type="date" label={t.transferDate} state={state} required />
        <AmountField form={form} name="amount" state={state} required />
        <Field form={form} name="month" label={t.transferMonth} hint={t.transferMonthHint} state={state} />
      </TreasurerForm>
    </>
  );
}
