/**
 * Bytes to text. Reports arrive as UTF-8 (with or without BOM), GB18030/GBK
 * or UTF-16; text that was already mis-decoded upstream (UTF-8 read as GBK and
 * saved again) is recognised and refused rather than parsed into garbage.
 */
import { isUtf8, transcode } from 'node:buffer';
import iconv from 'iconv-lite';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export interface Decoded {
  text: string;
  encoding: Encoding;
  bom: boolean;
}

export class DecodeError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

function looksUtf16(bytes: Uint8Array): Encoding | null {
  const sample = bytes.subarray(0, 4096);
  // Text without a zero byte is no UTF-16 (the usual case, found by a native search).
  if (sample.length < 4 || sample.indexOf(0) === -1) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] === 0) {
      if (i % 2 === 0) evenZeros++;
      else oddZeros++;
    }
  }
  const half = sample.length / 2;
  // Text in UTF-16 has zero bytes on one side (ASCII digits, "|", line breaks);
  // CJK characters such as 一 (U+4E00) put a few on the other side too.
  if (oddZeros > half * 0.03 && evenZeros * 4 < oddZeros) return 'utf-16le';
  if (evenZeros > half * 0.03 && oddZeros * 4 < evenZeros) return 'utf-16be';
  return null;
}

/** Each code unit's kind for the share below: 0 not Han, 1 Han, 2 a Han among the frequent characters of report prose. */
const HAN_KIND = new Uint8Array(0x10000);
HAN_KIND.fill(1, 0x3400, 0x4dc0);
HAN_KIND.fill(1, 0x4e00, 0xa000);
for (const ch of '的政府信息公开年报告情况申请本和行处理') HAN_KIND[ch.charCodeAt(0)] = 2;

/**
 * Share of common prose characters among the Han characters, and how many Han
 * there are. With `settledAbove`, counting may stop once the share over the
 * whole text is bound to exceed it, even were every character still unread a
 * Han without a common one (the share and count are then of the part read).
 */
function commonShare(text: string, settledAbove = Infinity): { share: number; han: number } {
  let han = 0;
  let common = 0;
  for (let i = 0; i < text.length; i++) {
    const kind = HAN_KIND[text.charCodeAt(i)] as number;
    if (kind === 0) continue;
    han++;
    // Asked only as a common character raises the share: asked less often, it settles a few characters later at most.
    if (kind === 2 && ++common > settledAbove * (han + text.length - i - 1)) break;
  }
  return { share: han === 0 ? 0 : common / han, han };
}

/**
 * UTF-8 that was decoded as GBK and re-encoded: re-encoding it as GBK gives
 * back valid UTF-8 that reads far more like Chinese prose than the text does.
 */
export function findMojibake(text: string): { line: number; column: number; sample: string; repaired: string } | null {
  // Mojibake fills the whole text, so the first few thousand characters tell.
  const head = text.slice(0, 2000);
  // Reading stops once the head's share is sure to pass 8%: such text is not mojibake.
  const { share: before, han } = commonShare(head, 0.08);
  // Ordinary report prose is dense in these characters; only text short of them is examined further.
  if (before > 0.08 || han < 20) return null;
  const { share: after } = commonShare(iconv.decode(iconv.encode(head, 'gbk'), 'utf-8'));
  if (!(after > 0.08 && after > before * 3)) return null;
  // A run between ASCII delimiters holds whole original characters, so it repairs cleanly.
  const match = /[^\x00-\x7f]{4,}/.exec(text);
  const at = match?.index ?? 0;
  const lines = text.slice(0, at).split('\n');
  const sample = match ? match[0].slice(0, 16) : text.slice(0, 16);
  return {
    line: lines.length,
    column: (lines.at(-1)?.length ?? 0) + 1,
    sample,
    repaired: iconv.decode(iconv.encode(sample, 'gbk'), 'utf-8'),
  };
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Valid UTF-8 to text (a BOM kept). ICU's conversion to UTF-16 and a native copy: Node's own UTF-8 decoding
 * of CJK text is several times slower, and so was a loop over the bytes in script; callers check validity first.
 */
function decodeValidUtf8(bytes: Uint8Array): string {
  return transcode(bytes, 'utf8', 'utf16le').toString('utf16le');
}

/** The first `length` UTF-16 code units as a string, copied natively (no argument list as long as the text). */
export function unitsToString(units: Uint16Array, length: number): string {
  if (littleEndian) return Buffer.from(units.buffer, units.byteOffset, length * 2).toString('utf16le');
  let text = '';
  for (let at = 0; at < length; at += 8192) text += String.fromCharCode(...units.subarray(at, Math.min(length, at + 8192)));
  return text;
}

/** UTF-8 as TextDecoder reads it (a leading BOM dropped; invalid bytes replaced), fast when valid. */
function utf8Text(bytes: Uint8Array): string {
  if (!isUtf8(bytes)) return new TextDecoder('utf-8').decode(bytes);
  const text = decodeValidUtf8(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function decode(bytes: Uint8Array): Decoded {
  let result: Decoded;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    result = { text: utf8Text(bytes.subarray(3)), encoding: 'utf-8', bom: true };
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    result = { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', bom: true };
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    result = { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', bom: true };
  } else {
    const utf16 = looksUtf16(bytes);
    if (utf16) {
      result = { text: new TextDecoder(utf16).decode(bytes), encoding: utf16, bom: false };
    } else if (isUtf8(bytes)) {
      result = { text: decodeValidUtf8(bytes), encoding: 'utf-8', bom: false };
    } else {
      result = { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030', bom: false };
    }
  }
  const garbled = findMojibake(result.text);
  if (garbled) {
    throw new DecodeError(
      `文本已被错误解码（乱码）：UTF-8 文字曾被按 GBK 读取后另存，例如“${garbled.sample}”应为“${garbled.repaired}”。请取得原始文件后再导入。`,
      garbled.line,
      garbled.column,
    );
  }
  return result.text.includes('\r') ? { ...result, text: result.text.replace(/\r\n?/g, '\n') } : result;
}
