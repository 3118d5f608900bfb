import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFiles, decodeText } from '../../src/ingest/files.js';
import { contentHash, headlineKey } from '../../src/ingest/normalize.js';

describe('decodeText', () => {
  it('reads UTF-8 as UTF-8 and strips a BOM', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0xc2, 0xa3, 0x35]))).toBe('£5');
  });

  it('reads a lone Latin-1 byte as Windows-1252 rather than a replacement character', () => {
    const text = decodeText(new Uint8Array([0x63, 0x6f, 0x73, 0x74, 0x20, 0xa3, 0x35, 0x6d]));
    expect(text).toBe('cost £5m');
    expect(text).not.toContain('\ufffd');
  });

  it('reads Windows-1252 curly quotes and dashes as such, not as control characters', () => {
    expect(decodeText(new Uint8Array([0x93, 0x48, 0x69, 0x94, 0x20, 0x96, 0x20, 0x80, 0x35, 0xa3]))).toBe('\u201cHi\u201d \u2013 \u20ac5£');
  });

  it('reads UTF-16 with a BOM', () => {
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]))).toBe('hi');
  });
});

describe('collectFiles', () => {
  it('walks folders in numeric order, skips corpus metadata, and reports missing paths', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-files-'));
    fs.mkdirSync(path.join(dir, 'sport'));
    for (const f of ['sport/10.txt', 'sport/2.txt', 'README.TXT', 'manifest.tsv', '.hidden.txt']) {
      fs.writeFileSync(path.join(dir, f), 'x');
    }
    const { files, missing } = await collectFiles([dir, path.join(dir, 'nope.txt')]);
    expect(files.map((f) => path.relative(dir, f))).toEqual(['sport/2.txt', 'sport/10.txt']);
    expect(missing).toEqual([path.join(dir, 'nope.txt')]);
  });
});

describe('collectFiles in an SGML collection', () => {
  it('takes only the SGML story files, not the label lists and documentation beside them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-sgml-'));
    for (const f of ['reut2-001.sgm', 'reut2-000.sgm', 'all-people-strings.lc.txt', 'lewis.dtd', 'README.txt']) {
      fs.writeFileSync(path.join(dir, f), 'x');
    }
    const { files } = await collectFiles([dir]);
    expect(files.map((f) => path.basename(f))).toEqual(['reut2-000.sgm', 'reut2-001.sgm']);
  });
});

describe('normalization', () => {
  it('matches headlines however they are punctuated or cased', () => {
    expect(headlineKey('What’s happening: China, U.S. talks')).toBe(headlineKey("whats happening china u s talks"));
  });

  it('hashes content independently of line endings and trailing spaces', () => {
    expect(contentHash('a \r\nb\r\n')).toBe(contentHash('a\nb'));
    expect(contentHash('a\nb')).not.toBe(contentHash('a\nc'));
  });
});
