import { deflateSync } from 'node:zlib'

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (bytes: Buffer): number => {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type: string, data: Buffer): Buffer => {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A PNG of RGB pixels: `pixel(x, y)` gives [r, g, b]. */
export const encodePng = (width: number, height: number, pixel: (x: number, y: number) => readonly [number, number, number]): Buffer => {
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1)
    raw[row] = 0 // no filter
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 3)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit, truecolour, deflate, no filter, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

/** Warm, readable tile colours; a gift's name picks one. */
const PALETTE: ReadonlyArray<readonly [number, number, number]> = [
  [231, 76, 60], [230, 126, 34], [241, 196, 15], [46, 204, 113], [26, 188, 156], [52, 152, 219], [155, 89, 182], [233, 30, 99],
]
const darker = ([r, g, b]: readonly [number, number, number]) => [Math.round(r * 0.62), Math.round(g * 0.62), Math.round(b * 0.62)] as const

/**
 * A demo gift's picture, made here (no download, no font): a tile in a colour chosen by the
 * gift's name with a white gift box on it, its ribbon in a darker shade. Same name, same bytes.
 */
export const giftPicture = (name: string, size = 96): Buffer => {
  let h = 0
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) >>> 0
  const bg = PALETTE[h % PALETTE.length]!
  const ribbon = darker(bg)
  const white = [255, 255, 255] as const
  const u = size / 12
  return encodePng(size, size, (x, y) => {
    const inBox = x >= 3 * u && x < 9 * u && y >= 5 * u && y < 10 * u
    const inLid = x >= 2.5 * u && x < 9.5 * u && y >= 3.5 * u && y < 5 * u
    const inBow = y >= 2 * u && y < 3.5 * u && ((x >= 4.5 * u && x < 5.8 * u) || (x >= 6.2 * u && x < 7.5 * u))
    const onRibbon = (x >= 5.5 * u && x < 6.5 * u && (inBox || inLid)) || (inBox && y >= 7 * u && y < 8 * u)
    if (onRibbon || inBow) return ribbon
    if (inBox || inLid) return white
    return bg
  })
}
