import type { PettyCashCategory } from '../events.js';

/**
 * What petty cash (handgeld) may pay for, by the letter the cooperation agreements use; spending is
 * recorded per category and reports show these Dutch labels (the users' own words).
 */
export const PETTY_CASH_CATEGORY_LABELS: Readonly<Record<PettyCashCategory, string>> = {
  A: 'Koffie, thee en dergelijke',
  B: 'Catering en maaltijden',
  C: 'Reis- en parkeerkosten',
  D: 'Toiletpapier, afwasmiddel, sponzen',
  E: 'Kantoorartikelen (postzegels, printerinkt, papier)',
  F: 'Materialen voor activiteiten (stof, klein gereedschap voor de klussendienst, kabels, krijt, gloeilampen)',
};
