/**
 * The index of the first byte that does not start a well-formed UTF-8 sequence (overlong forms,
 * surrogates, code points above U+10FFFF and truncated sequences are all ill-formed), or -1 when
 * `bytes` is valid UTF-8. Used to name the byte offset of a decoding error.
 * @param bytes - the bytes to check
 * @example
 * ```ts
 * findInvalidUtf8(Uint8Array.of(0x61, 0xc3, 0xa9)); // -1 ('aé')
 * findInvalidUtf8(Uint8Array.of(0x61, 0xff));       // 1
 * ```
 */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) { i++; continue; }
    let need: number;
    let min: number; // smallest code point this length may encode (rejects overlong forms)
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    if (i + need >= bytes.length) return i; // truncated at the end
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
