import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";

/** A decoded 8-bit PNG as one grey value (0 black … 255 white) per pixel, row by row. */
export interface GreyImage {
  width: number;
  height: number;
  grey: Uint8Array;
}

/**
 * Reads an 8-bit, non-interlaced greyscale or RGB PNG (what pdftoppm writes) into grey values: the IDAT
 * stream inflated and each row's filter (none, sub, up, average, Paeth) undone.
 */
export function readPng(file: string): GreyImage {
  const buf = readFileSync(file);
  if (buf.subarray(1, 4).toString() !== "PNG") throw new Error(`${file}: not a PNG`);
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length;) {
    const length = buf.readUInt32BE(at);
    const type = buf.subarray(at + 4, at + 8).toString();
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [bitDepth, colorType, , , interlace] = data.subarray(8, 13);
      if (bitDepth !== 8 || interlace !== 0) throw new Error(`${file}: only 8-bit non-interlaced PNGs`);
      channels = colorType === 0 ? 1 : colorType === 2 ? 3 : 0;
      if (!channels) throw new Error(`${file}: colour type ${colorType} not read`);
    } else if (type === "IDAT") idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = (row[x]! + pred) & 0xff;
    }
  }
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    let sum = 0;
    for (let k = 0; k < channels; k++) sum += out[i * channels + k]!;
    grey[i] = Math.round(sum / channels);
  }
  return { width, height, grey };
}

/** The rows (top to bottom) that hold at least one dark pixel (grey below 128). */
export function inkedRows(img: GreyImage): number[] {
  const rows: number[] = [];
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      if (img.grey[y * img.width + x]! < 128) {
        rows.push(y);
        break;
      }
  return rows;
}
