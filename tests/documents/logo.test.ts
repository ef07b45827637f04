import t from 'tap';
import { isPrintableImage } from '../../src/documents/pdf.js';
import { TINY_PNG_BASE64 } from '../http/parties.fixtures.js';

const tiny = Buffer.from(TINY_PNG_BASE64, 'base64');

t.test('a logo must be an image pdfkit can print: a broken one is refused up front, never thrown later', async (t) => {
  t.equal(await isPrintableImage(tiny, 'image/png'), true, 'a real PNG');
  t.equal(await isPrintableImage(tiny, 'image/jpeg'), false, 'a PNG declared as JPEG');
  t.equal(await isPrintableImage(tiny.subarray(0, 40), 'image/png'), false, 'a truncated PNG');
  const corrupt = Buffer.from(tiny);
  // Inside the IDAT chunk: the compressed data no longer inflates (pdfkit would throw in a callback).
  corrupt[45]! ^= 0xff;
  t.equal(await isPrintableImage(corrupt, 'image/png'), false, 'a PNG whose data does not inflate');
  const huge = Buffer.from(tiny);
  huge.writeUInt32BE(100_000, 16);
  huge.writeUInt32BE(100_000, 20);
  t.equal(await isPrintableImage(huge, 'image/png'), false, 'a PNG claiming 100,000 × 100,000 pixels');
  t.equal(await isPrintableImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]), 'image/jpeg'), false, 'a JPEG that is only a header');
  t.equal(await isPrintableImage(Buffer.from('not an image'), 'image/png'), false);
});
