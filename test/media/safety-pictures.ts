/**
 * Photos for the safety tests, made on the spot: a photo-like picture (a gradient under a few
 * dozen translucent shapes, different for each seed), optionally with a QR code printed into it
 * the way a scam poster carries one.
 */
import QRCode from 'qrcode';
import sharp from 'sharp';

function photoSvg(width: number, height: number, seed: number): Buffer {
  let state = seed;
  const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
  const colour = () => `rgb(${Math.floor(random() * 255)},${Math.floor(random() * 255)},${Math.floor(random() * 255)})`;
  let shapes = '';
  for (let i = 0; i < 40; i += 1) {
    shapes += `<circle cx="${random() * width}" cy="${random() * height}" r="${20 + random() * 200}" fill="${colour()}" fill-opacity="0.6"/>`;
  }
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="${random()}" y2="1">` +
      `<stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient></defs>` +
      `<rect width="100%" height="100%" fill="url(#g)"/>${shapes}</svg>`,
  );
}

/** A 1200×900 JPEG, the size of a phone photo sent through a chat app. */
export async function photo(seed: number, options: { qr?: string; width?: number; height?: number } = {}): Promise<Buffer> {
  const width = options.width ?? 1200;
  const height = options.height ?? 900;
  const base = sharp(photoSvg(width, height, seed));
  if (!options.qr) return base.jpeg({ quality: 88 }).toBuffer();
  const code = await QRCode.toBuffer(options.qr, { type: 'png', width: 320, margin: 2, errorCorrectionLevel: 'M' });
  return sharp(await base.png().toBuffer())
    .composite([{ input: code, left: width - 380, top: height - 380 }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** The same photo re-encoded at half quality and resized, as a repost through another app does. */
export async function reencoded(picture: Buffer): Promise<Buffer> {
  return sharp(picture).resize({ width: 800 }).webp({ quality: 55 }).toBuffer();
}

/** The same photo with a thin border cropped off (1.5 % each side), as a screenshot of it has. */
export async function cropped(picture: Buffer): Promise<Buffer> {
  const { width, height } = await sharp(picture).metadata();
  const dx = Math.round(width! * 0.015);
  const dy = Math.round(height! * 0.015);
  return sharp(picture).extract({ left: dx, top: dy, width: width! - 2 * dx, height: height! - 2 * dy }).png().toBuffer();
}
