import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/errors.js';
import { ledgerLocation, openLedger } from './config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('ledgerLocation', () => {
  it('defaults to the XDG state folder, else ~/.local/state', () => {
    expect(ledgerLocation({ XDG_STATE_HOME: '/s', HOME: '/h' })).toEqual({
      kind: 'sqlite',
      file: join('/s', 'cx-profile-sync', 'ledger.sqlite'),
    });
    expect(ledgerLocation({ HOME: '/h' })).toEqual({
      kind: 'sqlite',
      file: join('/h', '.local', 'state', 'cx-profile-sync', 'ledger.sqlite'),
    });
    // A relative XDG_STATE_HOME is ignored, as the XDG spec says.
    expect(ledgerLocation({ XDG_STATE_HOME: 'rel', HOME: '/h' })).toEqual(ledgerLocation({ HOME: '/h' }));
  });

  it('takes CX_LEDGER: off, a file, a postgres URL', () => {
    expect(ledgerLocation({ CX_LEDGER: 'off' })).toEqual({ kind: 'off' });
    expect(ledgerLocation({ CX_LEDGER: ' OFF ' })).toEqual({ kind: 'off' });
    expect(ledgerLocation({ CX_LEDGER: 'x/l.sqlite' })).toEqual({
      kind: 'sqlite',
      file: resolve('x/l.sqlite'),
    });
    expect(ledgerLocation({ CX_LEDGER: 'postgresql://u:p@db/x' }).kind).toBe('postgres');
  });
});

describe('openLedger', () => {
  it('is undefined when CX_LEDGER=off', async () => {
    expect(await openLedger({ CX_LEDGER: 'off' })).toBeUndefined();
  });

  // postgres.test.ts opens real ones.
  it('refuses a malformed postgres URL without repeating it (it may hold a password)', async () => {
    const opened = openLedger({ CX_LEDGER: 'postgres://user:s3cret@db.example:port/ledger' });
    await expect(opened).rejects.toBeInstanceOf(ConfigurationError);
    await expect(opened).rejects.toThrow(/PostgreSQL ledger/);
    await expect(opened).rejects.not.toThrow(/s3cret/);
  });

  it('opens the default file, creating its folders', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ledger-home-'));
    dirs.push(home);
    const ledger = await openLedger({ HOME: home });
    expect(ledger).toBeDefined();
    await ledger!.recordWindow({ id: 'w', since: 'a', until: 'b', pages: 0 });
    await ledger!.close();
    const again = await openLedger({ XDG_STATE_HOME: join(home, '.local', 'state') });
    expect(await again!.window('w')).toEqual({ id: 'w', since: 'a', until: 'b', pages: 0 });
    await again!.close();
  });
});
