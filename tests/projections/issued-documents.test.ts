import t from 'tap';
import { findIssuedDocument, issuedDocumentsProjection } from '../../src/projections/issued-documents.js';
import { creditNote, financier, fold, invoice, payment } from './read-model-events.js';

t.test('every invoice and credit note is found by id and by number, with its whole event', async (t) => {
  const issued = invoice({ number: '2020-0001', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-01-10', total: '100.00' });
  const credited = creditNote(issued, '2020-0002', '10.00');
  const state = fold(issuedDocumentsProjection, [financier('portaal'), issued, payment('2020-02-01', '5.00'), credited]);
  t.same(findIssuedDocument(state, '2020-0001'), { kind: 'invoice', id: issued.data.invoiceId, data: issued.data });
  t.same(findIssuedDocument(state, issued.data.invoiceId), findIssuedDocument(state, '2020-0001'));
  const note = findIssuedDocument(state, '2020-0002');
  t.equal(note?.kind, 'credit-note');
  t.same(note?.data, credited.data);
  t.equal(findIssuedDocument(state, '2020-0003'), undefined);
  t.equal(state.byId.size, 2, 'payments and financiers are not documents');
});

t.test('a redelivered event leaves the state as it was', async (t) => {
  const issued = invoice({ number: '2020-0001', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-01-10', total: '100.00' });
  t.same(fold(issuedDocumentsProjection, [issued, issued]), fold(issuedDocumentsProjection, [issued]));
});
