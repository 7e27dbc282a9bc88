import jsQR from 'jsqr';

/**
 * Reads a QR code SVG as the totp-enroll function draws it (qrcode's svg-tag renderer: a white
 * background, then one stroked path of horizontal runs, `M x y` / `m dx dy` then `h length`, each
 * run half a module below the row's top) the way a camera would: rasterised at `scale` pixels a
 * module and decoded by jsQR, an implementation independent of the encoder. Null when unreadable.
 */
export function decodeQrSvg(svg: string, scale = 2): string | null {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1];
  if (!Number.isInteger(size) || size <= 0 || path === undefined) return null;
  const dark = new Uint8Array(size * size);
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of path.matchAll(/([MmHh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?/g)) {
    const first = Number(a);
    if (command === 'M') [x, y] = [first, Number(b)];
    else if (command === 'm') [x, y] = [x + first, y + Number(b)];
    else {
      const end = command === 'h' ? x + first : first;
      const row = Math.floor(y);
      for (let col = x; col < end; col++) dark[row * size + col] = 1;
      x = end;
    }
  }
  const width = size * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let py = 0; py < width; py++) {
    for (let px = 0; px < width; px++) {
      if (!dark[Math.floor(py / scale) * size + Math.floor(px / scale)]) continue;
      const i = (py * width + px) * 4;
      pixels[i] = pixels[i + 1] = pixels[i + 2] = 0;
    }
  }
  return jsQR(pixels, width, width)?.data ?? null;
}
