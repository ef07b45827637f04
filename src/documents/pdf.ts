import type PDFDocumentClass from 'pdfkit';
import type { CooperativeDetails, PostalAddress } from '../domain/events.js';
import { qrModules } from './epc-qr.js';
import { printedIban } from './format.js';
import { loadedOnFirstUse } from '../lazy-require.js';

/**
 * The building blocks every document shares (invoice, credit note, reminder, statement): an A4
 * page in Helvetica (a standard PDF font: nothing embedded, the same bytes on every machine), the
 * supplier's header, an address block, a two-column table and the EPC QR code.
 *
 * A document renders byte-identical every time: its metadata dates are fixed from the document's
 * own date (pdfkit derives the file ID from them), and nothing reads a clock or a random source.
 */
export type Pdf = PDFKit.PDFDocument;

export const MARGIN = 56;
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const BOTTOM = PAGE_HEIGHT - MARGIN;
const GREY = '#555555';

export interface DocumentInfo {
  readonly title: string;
  readonly subject: string;
  readonly author: string;
  /** The document's own date (YYYY-MM-DD): its creation and modification date, so renders agree. */
  readonly date: string;
}

let pdfkit: typeof PDFDocumentClass | undefined;

/**
 * pdfkit, loaded by the first document rather than at start: with fontkit under it, it is about
 * 0.2 s of CPU, a fifth of what loading the service's modules costs, and a start's first reads
 * need no PDF.
 */
async function loadPdfkit(): Promise<typeof PDFDocumentClass> {
  pdfkit ??= (await import('pdfkit')).default;
  return pdfkit;
}

export async function newDocument(info: DocumentInfo): Promise<Pdf> {
  const fixed = new Date(`${info.date}T12:00:00Z`);
  const PDFDocument = await loadPdfkit();
  return new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: info.title, Subject: info.subject, Author: info.author, Creator: 'BuurtWerkKamer ledger', Producer: 'PDFKit', CreationDate: fixed, ModDate: fixed },
    lang: 'nl-NL',
    font: 'Helvetica',
  });
}

/** Ends the document and collects its bytes. */
export function finish(document: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    document.on('data', (chunk: Buffer) => chunks.push(chunk));
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
    document.end();
  });
}

export function addressLines(address: PostalAddress): string[] {
  return [address.street, `${address.postcode}  ${address.city}`, ...(address.country === 'NL' ? [] : [address.country])];
}

export interface Logo {
  readonly mediaType: string;
  readonly base64: string;
}

/** The cooperative as sender: logo on the left, name, address, KvK, VAT status and bank on the right. */
export function supplierHeader(document: Pdf, supplier: CooperativeDetails, logo: Logo | undefined): void {
  const top = MARGIN;
  if (logo) document.image(Buffer.from(logo.base64, 'base64'), MARGIN, top, { fit: [140, 70] });
  const x = MARGIN + CONTENT_WIDTH / 2;
  const lines = [
    ...addressLines(supplier.address),
    `KvK ${supplier.kvkNumber}`,
    ...(supplier.vatNumber ? [`Btw-id ${supplier.vatNumber}`] : []),
    `IBAN ${printedIban(supplier.iban)}  BIC ${supplier.bic}`,
    supplier.email,
  ];
  document.font('Helvetica-Bold').fontSize(11).fillColor('black').text(supplier.name, x, top, { width: CONTENT_WIDTH / 2 });
  document.font('Helvetica').fontSize(9).fillColor(GREY).text(lines.join('\n'), { width: CONTENT_WIDTH / 2 });
  document.fillColor('black');
  document.y = Math.max(document.y, top + 80) + 16;
}

/** The addressee's block: "Aan" and the name and address lines. */
export function addressee(document: Pdf, name: string, address: PostalAddress): void {
  document.font('Helvetica').fontSize(9).fillColor(GREY).text('Aan', MARGIN, document.y);
  document.fillColor('black').fontSize(11).font('Helvetica-Bold').text(name, MARGIN);
  document.font('Helvetica').text(addressLines(address).join('\n'), MARGIN);
  document.moveDown(1.5);
}

export function title(document: Pdf, text: string): void {
  document.font('Helvetica-Bold').fontSize(18).fillColor('black').text(text, MARGIN, document.y);
  document.moveDown(0.5);
}

/** Label/value pairs in two columns: "Factuurnummer  2020-0001". */
export function facts(document: Pdf, pairs: ReadonlyArray<readonly [string, string]>): void {
  document.fontSize(10);
  for (const [label, value] of pairs) {
    const y = document.y;
    document.font('Helvetica').fillColor(GREY).text(label, MARGIN, y, { width: 150 });
    document.fillColor('black').text(value, MARGIN + 150, y, { width: CONTENT_WIDTH - 150 });
  }
  document.moveDown(1);
}

export interface Column {
  readonly header: string;
  readonly width: number;
  readonly align?: 'left' | 'right';
}

/** A table with a header row; starts a new page (with the header again) when a row would not fit. */
export function table(document: Pdf, columns: readonly Column[], rows: ReadonlyArray<readonly string[]>, fontSize = 10): void {
  const header = () => {
    drawRow(document, columns, columns.map((column) => column.header), 'Helvetica-Bold', fontSize);
    document.moveTo(MARGIN, document.y).lineTo(MARGIN + CONTENT_WIDTH, document.y).lineWidth(0.5).strokeColor(GREY).stroke();
    document.y += 3;
  };
  header();
  for (const row of rows) {
    if (document.y + rowHeight(document, columns, row, fontSize) > BOTTOM) {
      document.addPage();
      header();
    }
    drawRow(document, columns, row, 'Helvetica', fontSize);
  }
  document.moveTo(MARGIN, document.y).lineTo(MARGIN + CONTENT_WIDTH, document.y).lineWidth(0.5).strokeColor(GREY).stroke();
  document.y += 4;
}

function rowHeight(document: Pdf, columns: readonly Column[], row: readonly string[], fontSize: number): number {
  document.font('Helvetica').fontSize(fontSize);
  return Math.max(...columns.map((column, index) => document.heightOfString(row[index] ?? '', { width: column.width - 4 }))) + 3;
}

function drawRow(document: Pdf, columns: readonly Column[], row: readonly string[], font: string, fontSize: number): void {
  const y = document.y;
  const height = rowHeight(document, columns, row, fontSize);
  let x = MARGIN;
  document.font(font).fontSize(fontSize).fillColor('black');
  columns.forEach((column, index) => {
    document.text(row[index] ?? '', x, y, { width: column.width - 4, align: column.align ?? 'left' });
    x += column.width;
  });
  document.x = MARGIN;
  document.y = y + height;
}

/** A right-aligned line under a table: "Totaal  € 1.234,50". */
export function totalLine(document: Pdf, label: string, value: string, bold = true): void {
  const y = document.y;
  document.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(11).fillColor('black');
  document.text(label, MARGIN + CONTENT_WIDTH - 260, y, { width: 140, align: 'right' });
  document.text(value, MARGIN + CONTENT_WIDTH - 120, y, { width: 116, align: 'right' });
  document.x = MARGIN;
  document.moveDown(0.3);
}

export function paragraph(document: Pdf, text: string, options: { size?: number; bold?: boolean; colour?: string } = {}): void {
  document
    .font(options.bold ? 'Helvetica-Bold' : 'Helvetica')
    .fontSize(options.size ?? 10)
    .fillColor(options.colour ?? 'black')
    .text(text, MARGIN, document.y, { width: CONTENT_WIDTH });
  document.fillColor('black');
}

/** The EPC QR code, drawn as vector squares (sharp at any zoom, no image to embed), with a caption beside it. */
export function qrCode(document: Pdf, payload: string, caption: string): void {
  const modules = qrModules(payload);
  const quietZone = 4;
  const side = 120;
  const cell = side / (modules.length + 2 * quietZone);
  if (document.y + side > BOTTOM) document.addPage();
  const top = document.y;
  modules.forEach((row, rowIndex) =>
    row.forEach((dark, columnIndex) => {
      if (dark) document.rect(MARGIN + (columnIndex + quietZone) * cell, top + (rowIndex + quietZone) * cell, cell, cell);
    }),
  );
  document.fillColor('black').fill();
  document.font('Helvetica').fontSize(9).fillColor(GREY).text(caption, MARGIN + side + 12, top + 12, { width: CONTENT_WIDTH - side - 12 });
  document.fillColor('black');
  document.x = MARGIN;
  document.y = top + side + 8;
}

/** A logo larger than this (in pixels, each side) is refused: it is printed at most 140 × 70 points. */
const MAX_LOGO_SIDE = 2000;
// Only checking an uploaded logo needs pngjs: loaded then, not at every start (~25 ms of CPU).
const pngjs = loadedOnFirstUse<typeof import('pngjs')>('pngjs');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * True when the image is a PNG or JPEG of the declared type that pdfkit can place. A PNG is
 * decoded in full first, synchronously (pngjs checks every CRC and inflates the data): pdfkit
 * inflates PNG data in a callback while the document ends, and a corrupt one would throw there,
 * out of reach of any catch. pdfkit copies a JPEG as it is and only reads its markers.
 */
export async function isPrintableImage(image: Buffer, mediaType: 'image/png' | 'image/jpeg'): Promise<boolean> {
  try {
    if (mediaType === 'image/png') {
      if (image.length < 24 || !image.subarray(0, 8).equals(PNG_SIGNATURE)) return false;
      if (image.readUInt32BE(16) > MAX_LOGO_SIDE || image.readUInt32BE(20) > MAX_LOGO_SIDE) return false;
      pngjs().PNG.sync.read(image);
    } else if (image.length < 4 || image[0] !== 0xff || image[1] !== 0xd8) {
      return false;
    }
    const PDFDocument = await loadPdfkit();
    const document = new PDFDocument({ size: 'A4', compress: false });
    document.image(image, 0, 0, { width: 10 });
    await finish(document);
    return true;
  } catch {
    return false;
  }
}
