import fs from 'node:fs/promises';
import path from 'node:path';

/** Files in a corpus folder that describe the corpus rather than hold a story. */
const NOT_ARTICLES = /^(readme|provenance|license|licence|manifest|changelog)(\.|$)|\.(tsv|csv|md|json|lock|dtd)$/i;
/** SGML story collections ship their label lists and documentation as text files beside the stories. */
const SGML = /\.sgml?$/i;

/** Expands files and folders (recursively, in a stable order) into the article files they hold. */
export async function collectFiles(inputs: string[]): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  async function walk(p: string, explicit: boolean): Promise<void> {
    let stat;
    try {
      stat = await fs.stat(p);
    } catch {
      missing.push(p);
      return;
    }
    if (stat.isDirectory()) {
      let entries = (await fs.readdir(p)).filter((e) => !e.startsWith('.')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      if (entries.some((e) => SGML.test(e))) {
        const stats = await Promise.all(entries.map((e) => fs.stat(path.join(p, e))));
        entries = entries.filter((e, i) => SGML.test(e) || stats[i]!.isDirectory());
      }
      for (const e of entries) await walk(path.join(p, e), false);
    } else if (stat.isFile() && (explicit || !NOT_ARTICLES.test(path.basename(p)))) {
      files.push(p);
    }
  }
  for (const input of inputs) await walk(input, true);
  return { files, missing };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Windows-1252 differs from Latin-1 only in 0x80–0x9F (curly quotes, dashes, euro...). Node's decoder may be
// built without the legacy encodings and hand those bytes back as C1 controls, so they are mapped here.
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
  return out;
}

/**
 * Decodes a page whatever its encoding: a BOM or valid UTF-8 is taken as UTF-8; anything else is read as
 * Windows-1252, the superset of Latin-1 that older news files use (0xA3 is "£").
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return utf8.decode(bytes).replace(/^\ufeff/, '');
  } catch {
    return decodeWindows1252(bytes);
  }
}

export async function readText(file: string): Promise<string> {
  return decodeText(await fs.readFile(file));
}
