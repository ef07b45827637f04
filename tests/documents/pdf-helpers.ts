/**
 * Reading a PDF back the way a person or a banking app would: its text (pdf-parse), and the QR
 * code on its first page, rendered to pixels (pdf-parse's pdf.js screenshot) and decoded (jsQR).
 */
import jsQRModule from 'jsqr';
import { PDFParse } from 'pdf-parse';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

// jsqr is CommonJS: module.exports is the function, while its types call it the default export.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

export async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

export function decodePng(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

/** The QR code printed on the PDF's first page, decoded from a rendering of that page. */
export async function qrOnFirstPage(pdf: Buffer): Promise<string | undefined> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const shot = await parser.getScreenshot({ scale: 2, first: 1 });
    return decodePng(Buffer.from(shot.pages[0]!.data));
  } finally {
    await parser.destroy();
  }
}

/** A payload drawn by the qrcode library on its own and decoded back: the code the PDF draws is made from it. */
export async function roundTripQr(payload: string): Promise<string | undefined> {
  return decodePng(await QRCode.toBuffer(payload, { errorCorrectionLevel: 'M', scale: 4 }));
}
