import fs from 'node:fs/promises';
import path from 'node:path';

/** Files in a corpus folder that describe the corpus rather than hold a story. */
const NOT_ARTICLES = /^(readme|provenance|license|licence|manifest|changelog)(\.|$)|\.(tsv|csv|md|json|lock)$/i;

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
      const entries = (await fs.readdir(p)).filter((e) => !e.startsWith('.')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      for (const e of entries) await walk(path.join(p, e), false);
    } else if (stat.isFile() && (explicit || !NOT_ARTICLES.test(path.basename(p)))) {
      files.push(p);
    }
  }
  for (const input of inputs) await walk(input, true);
  return { files, missing };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');

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
    return windows1252.decode(bytes);
  }
}

export async function readText(file: string): Promise<string> {
  return decodeText(await fs.readFile(file));
}
