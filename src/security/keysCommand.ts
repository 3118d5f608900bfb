import fs from 'node:fs';
import { text } from 'node:stream/consumers';
import { Command } from 'commander';
import type { Config } from '../config.js';
import { AccessFileError, createKey, KeyStore, parseScopes, SCOPES, type ApiKey } from './keys.js';

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

function keysFile(config: Config): string {
  if (!config.access.apiKeysFile) fail('API_KEYS_FILE is not set: name the keys file the service loads.');
  return config.access.apiKeysFile;
}

function load(file: string): KeyStore {
  try {
    return KeyStore.fromFile(file);
  } catch (error) {
    if (error instanceof AccessFileError) fail(error.message);
    throw error;
  }
}

const describeKey = (key: ApiKey) => `${key.id}  ${key.name}  ${[...key.scopes].join(',')}`;

/** `news-graph keys create | list | verify` (npm run keys -- …). */
export function keysCommand(config: () => Config): Command {
  const keys = new Command('keys').description('create, list and verify API keys (the lines of API_KEYS_FILE)');

  keys
    .command('create')
    .description('print a new key, once, with the line that admits it in the keys file')
    .requiredOption('--name <name>', 'who or what uses the key, e.g. ingest-bot')
    .requiredOption('--scopes <scopes>', `comma-separated, from: ${SCOPES.join(', ')}`)
    .option('--append <file>', 'also append the line to this keys file (a new file gets mode 600)')
    .action(async (opts: { name: string; scopes: string; append?: string }) => {
      const { scopes, unknown } = parseScopes(opts.scopes);
      if (unknown.length) fail(`Unknown scope(s): ${unknown.join(', ')}. Known: ${SCOPES.join(', ')}.`, 2);
      let created: Awaited<ReturnType<typeof createKey>>;
      try {
        created = await createKey(opts.name, scopes);
      } catch (error) {
        return fail((error as Error).message, 2);
      }
      if (opts.append) fs.appendFileSync(opts.append, `${created.line}\n`, { mode: 0o600 });
      console.log(
        [
          `API key "${opts.name}" (id ${created.id}), scopes ${scopes.join(',')}. It is shown only now; store it where its user reads it:`,
          '',
          `  ${created.key}`,
          '',
          opts.append
            ? `Appended its line to ${opts.append}; restart the service to load it:`
            : 'Add this line to the keys file (API_KEYS_FILE) and restart the service:',
          '',
          `  ${created.line}`,
          '',
          'Clients send it as "Authorization: Bearer <key>"; news-graph ingest reads it from NEWS_GRAPH_API_KEY.',
        ].join('\n'),
      );
    });

  keys
    .command('list')
    .description('check API_KEYS_FILE and print each key\'s id, name and scopes (never a secret)')
    .action(() => {
      const file = keysFile(config());
      const store = load(file);
      console.log(`${store.size} key(s) in ${file}`);
      for (const key of store.list()) console.log(`  ${describeKey(key)}`);
    });

  keys
    .command('verify')
    .description('say whether a key is valid in API_KEYS_FILE, and its scopes')
    .argument('[key]', 'the key; default NEWS_GRAPH_API_KEY, else the first line of standard input')
    .action(async (given?: string) => {
      const cfg = config();
      const store = load(keysFile(cfg));
      const presented = (given ?? cfg.apiKey ?? (await text(process.stdin)).split(/\r?\n/)[0] ?? '').trim();
      const key = await store.verify(presented);
      if (!key) fail('Not a valid key for this keys file.');
      console.log(`valid: ${describeKey(key)}`);
    });

  return keys;
}
