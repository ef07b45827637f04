import PDFDocument from 'pdfkit';

/** True when pdfkit can place the image (a PNG or JPEG it decodes): checked before a logo is recorded. */
export async function isPrintableImage(image: Buffer): Promise<boolean> {
  try {
    const document = new PDFDocument({ size: 'A4', compress: false });
    const done = new Promise<void>((resolve, reject) => {
      document.on('end', resolve);
      document.on('error', reject);
    });
    document.on('data', () => undefined);
    document.image(image, 0, 0, { width: 10 });
    document.end();
    await done;
    return true;
  } catch {
    return false;
  }
}
