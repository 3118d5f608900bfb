/**
 * SGML/HTML character references. Reuters-21578 writes its wire control codes as references (&#2; starts a
 * story, &#3; ends it, &#5;, &#22;, &#31; are routing codes) and uses &#127; where a space was garbled
 * ("dlr&#127;untied loan"). Text must come out free of control characters, so DEL becomes a space and every
 * other C0 control except tab and line feed is dropped.
 */

const NAMED: Record<string, string> = {
  lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', pound: '£', euro: '€', yen: '¥', cent: '¢', copy: '©',
  reg: '®', deg: '°', frac12: '½', frac14: '¼', frac34: '¾', middot: '·', times: '×',
};

// Windows-1252 at 0x80-0x9F (undefined code points stay empty). Spelled out because Node 20's TextDecoder
// reads 'windows-1252' as Latin-1 there.
const CP1252 =
  '€\u0000‚ƒ„…†‡ˆ‰Š‹Œ\u0000Ž\u0000\u0000‘’“”•–—˜™š›œ\u0000žŸ';

function fromCodePoint(code: number): string {
  if (code === 0x7f) return ' ';
  if (code === 0x09 || code === 0x0a) return String.fromCharCode(code);
  if (code === 0x0d) return '\n';
  if (code < 0x20) return '';
  // HTML reads &#128;-&#159; as Windows-1252 ("&#150;" is an en dash), as browsers do.
  if (code >= 0x80 && code < 0xa0) return (CP1252[code - 0x80] ?? '').replace('\u0000', '');
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(code);
}

/** Decodes named (a common set), decimal and hexadecimal references; unknown names stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,8}));/g, (whole, dec, hex, name) => {
    if (dec !== undefined) return fromCodePoint(Number(dec));
    if (hex !== undefined) return fromCodePoint(parseInt(hex, 16));
    return NAMED[name as string] ?? NAMED[(name as string).toLowerCase()] ?? whole;
  });
}

/** Removes control characters that arrived as raw bytes rather than references (same mapping). */
export function stripControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => fromCodePoint(c.charCodeAt(0)));
}
