/**
 * Inputs for the UBL builder: the cooperative invoicing the municipality (OIN, with a buyer
 * reference), a housing corporation (KvK), and a credit note. The identifiers are examples in the
 * right format (KvK 8 digits, OIN 20 digits), not registered numbers; the IBAN is the well-known
 * example NL91ABNA0417164300.
 */
import type { UblCreditNoteInput, UblInvoiceInput, UblSupplier } from '../../src/documents/ubl.js';

export const cooperative: UblSupplier = {
  name: 'BuurtWerkKamer Coöperatie U.A.',
  address: { street: 'Daalsedijk 12', postcode: '3551 EJ', city: 'Utrecht', country: 'NL' },
  endpoint: { scheme: '0106', id: '12345678' },
  legalRegistration: { scheme: '0106', id: '12345678' },
  email: 'penningmeester@buurtwerkkamer.example',
};

export const municipalityInvoice: UblInvoiceInput = {
  kind: 'invoice',
  number: '2020-0001',
  issueDate: '2020-06-15',
  dueDate: '2020-07-13',
  buyerReference: '5675239',
  supplier: cooperative,
  customer: {
    name: 'Gemeente Utrecht',
    address: { street: 'Stadsplateau 1', postcode: '3521 AZ', city: 'Utrecht', country: 'NL' },
    endpoint: { scheme: '0190', id: '00000001002220647000' },
    legalRegistration: { scheme: '0190', id: '00000001002220647000' },
  },
  lines: [
    { description: 'Bijdrage buurtwerkkamer TOP 2020, eerste termijn', amount: '5000.00' },
    { description: 'Initiatievenfonds: activiteiten <zomer> & "buurt"', amount: '1250.50' },
  ],
  vat: { category: 'O', exemptionReason: 'Niet onderworpen aan btw: subsidie voor maatschappelijke activiteiten' },
  payment: { iban: 'NL91 ABNA 0417 1643 00', bic: 'ABNANL2A', paymentId: 'RF1820200001', terms: 'Betaling binnen 28 dagen, uiterlijk 2020-07-13' },
};

export const housingCorporationInvoice: UblInvoiceInput = {
  kind: 'invoice',
  number: '2020-0002',
  issueDate: '2020-06-16',
  dueDate: '2020-07-14',
  buyerReference: 'top 2020',
  supplier: { ...cooperative, vatNumber: 'NL001234567B01' },
  customer: {
    name: 'Stichting Portaal',
    address: { street: 'Kanaalweg 1', postcode: '3526 KL', city: 'Utrecht', country: 'NL' },
    endpoint: { scheme: '0106', id: '87654321' },
    legalRegistration: { scheme: '0106', id: '87654321' },
    email: 'facturen@portaal.example',
  },
  lines: [
    { description: 'Huur buurtwerkkamer TOP 2020', amount: '2400.00' },
    { description: 'Correctie energie 2019', amount: '-150.25' },
  ],
  vat: { category: 'E', exemptionReason: 'Vrijgesteld van btw: sociaal-culturele dienstverlening (art. 11 Wet OB)' },
  payment: { iban: 'NL91ABNA0417164300', paymentId: 'RF7120200002' },
};

export const creditNote: UblCreditNoteInput = {
  kind: 'credit-note',
  number: '2020-0003',
  issueDate: '2020-06-20',
  buyerReference: 'top 2020',
  supplier: { ...cooperative, vatNumber: 'NL001234567B01' },
  customer: housingCorporationInvoice.customer,
  creditedInvoice: { number: '2020-0002', issueDate: '2020-06-16' },
  note: 'Creditnota op factuur 2020-0002',
  lines: [{ description: 'Tweede termijn vervalt', amount: '1000.00' }],
  vat: housingCorporationInvoice.vat,
};
