// Where a byte range may end without splitting a UTF-8 character.

/** The length of `buf` without a last character that the range cuts short (0–3 bytes less). */
export function utf8Boundary(buf: Buffer): number {
  let end = buf.length;
  for (let i = 1; i <= Math.min(3, buf.length); i++) {
    const byte = buf[buf.length - i]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    if (need > i) end = buf.length - i;
    break;
  }
  return end;
}
