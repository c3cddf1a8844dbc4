/**
 * Issue 13, "library folder problems block start-up": a library folder that cannot be opened (a
 * missing folder, an unplugged drive, a folder the library cannot use, a pseudo-filesystem) leaves
 * the core running with the library "unavailable" and a clear `file-missing`/`io` error on the
 * library channels; a missing configured folder is never created (only the default one); the user
 * can retry or pick another folder; library switches are bounded in time.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../main/core';
import { LAYOUT } from '../../main/library/paths';
import { isPseudoFilesystemPath } from '../../main/settings/library-folder';
import { createLibraryHost, type HostedLibrary } from '../../main/settings/library-host';
import type { EventChannel, LibraryStatus } from '../../shared/contract';

let root: string;
let cores: Core[] = [];
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'fg-libfail-'));
});
afterEach(async () => {
  for (const c of cores) await c.dispose();
  cores = [];
  await rm(root, { recursive: true, force: true });
});

const dataDir = () => path.join(root, 'data');
const defaultDir = () => path.join(root, 'default-lib');
/** Settings as an earlier run saved them. */
const savedSettings = async (settings: Record<string, unknown>) => {
  await mkdir(dataDir(), { recursive: true });
  await writeFile(path.join(dataDir(), 'settings.json'), JSON.stringify(settings));
};
const start = async (extra: Partial<CoreOptions> = {}) => {
  const core = await createCore({
    dataDir: dataDir(),
    defaultLibraryDir: defaultDir(),
    transport: 'web',
    appVersion: 'test',
    log: () => {},
    ...extra,
  });
  cores.push(core);
  return core;
};
const call = (core: Core, channel: Parameters<Core['router']['invoke']>[0], args?: unknown) =>
  core.router.invoke(channel, args, { transport: 'web' });
const watch = (core: Core) => {
  const seen: { channel: EventChannel; payload: unknown }[] = [];
  core.events.subscribe((channel, payload) => seen.push({ channel, payload }));
  return seen;
};

describe('a library folder that cannot be opened at start', () => {
  it('a missing configured folder (unplugged drive): the core starts, says file-missing, creates nothing', async () => {
    const missing = path.join(root, 'usb-drive', 'Flux Gallery');
    await savedSettings({ libraryDir: missing });
    const core = await start();
    expect(core.libraryStatus()).toMatchObject({
      state: 'unavailable',
      libraryDir: missing,
      defaultLibraryDir: defaultDir(),
      error: { code: 'file-missing', message: expect.stringContaining(missing) },
    });
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(path.join(root, 'usb-drive'))).toBe(false);

    // Everything but the library answers; the library channels say why, in words.
    expect(await call(core, 'app:info')).toMatchObject({ ok: true });
    expect(await call(core, 'settings:get')).toMatchObject({ ok: true, value: { libraryDir: missing } });
    for (const [channel, args] of [
      ['history:query', {}],
      ['history:get', { id: 'abcdef123456' }],
      ['history:delete', { id: 'abcdef123456' }],
    ] as const) {
      expect(await call(core, channel, args)).toMatchObject({
        ok: false,
        error: { code: 'file-missing', message: expect.stringContaining('connect it and retry') },
      });
    }
    await expect(core.resolveMedia('image', 'abcdef123456')).rejects.toMatchObject({ code: 'file-missing' });
    expect(await call(core, 'library:status')).toMatchObject({ ok: true, value: { state: 'unavailable' } });

    // Retry while still missing: still unavailable, still nothing created.
    expect(await call(core, 'library:retry')).toMatchObject({ ok: true, value: { state: 'unavailable' } });
    expect(existsSync(missing)).toBe(false);

    // The drive is back: retry opens it and every view is told.
    const seen = watch(core);
    await mkdir(missing, { recursive: true });
    expect(await call(core, 'library:retry')).toMatchObject({ ok: true, value: { state: 'ready', error: null } });
    expect(seen.map((e) => e.channel)).toEqual(expect.arrayContaining(['library:switched', 'library:statusChanged']));
    expect(await call(core, 'history:query', {})).toMatchObject({ ok: true, value: { total: 0 } });
  });

  it('the default folder is created when missing', async () => {
    const core = await start();
    expect(core.libraryStatus().state).toBe('ready');
    expect(existsSync(path.join(defaultDir(), LAYOUT.images))).toBe(true);
  });

  it('a folder the library cannot use: io, and another folder can be chosen from there', async () => {
    const broken = path.join(root, 'broken');
    await mkdir(broken, { recursive: true });
    // The library's own subfolder is a file: the library cannot be opened there.
    await writeFile(path.join(broken, LAYOUT.images), 'not a folder');
    await savedSettings({ libraryDir: broken });
    const core = await start();
    expect(core.libraryStatus()).toMatchObject({ state: 'unavailable', error: { code: 'io' } });
    expect(await call(core, 'history:query', {})).toMatchObject({ ok: false, error: { code: 'io' } });

    // Choose another folder: it opens and the status says so.
    const seen = watch(core);
    const other = path.join(root, 'other');
    expect(await call(core, 'settings:update', { libraryDir: other })).toMatchObject({ ok: true });
    expect(core.libraryStatus()).toMatchObject({ state: 'ready', libraryDir: other });
    expect(seen.filter((e) => e.channel === 'library:statusChanged').at(-1)?.payload).toMatchObject({
      state: 'ready',
    });
  });

  it('a saved pseudo-filesystem folder (/proc/self/fd) is refused at once instead of hanging', async () => {
    await savedSettings({ libraryDir: '/proc/self/fd' });
    const core = await start({ libraryOpenTimeoutMs: 60_000 });
    expect(core.libraryStatus()).toMatchObject({
      state: 'unavailable',
      error: { code: 'io', message: expect.stringMatching(/system folder/) },
    });
  });

  it('the command line still fails at once (it has no window to say it in), creating nothing', async () => {
    const missing = path.join(root, 'gone');
    await savedSettings({ libraryDir: missing });
    await expect(
      createCore({
        dataDir: dataDir(),
        defaultLibraryDir: defaultDir(),
        transport: 'cli',
        appVersion: 'test',
        log: () => {},
      }),
    ).rejects.toMatchObject({ code: 'file-missing' });
    expect(existsSync(missing)).toBe(false);
  });
});

describe('choosing a library folder', () => {
  it('refuses pseudo-filesystems, also through a symbolic link, and saves nothing', async () => {
    const core = await start();
    const before = core.settings.get().libraryDir;
    const link = path.join(root, 'innocent-looking');
    await symlink('/proc/self', link);
    for (const libraryDir of ['/proc/self/fd', '/proc', '/sys/kernel/lib', '/dev/shm/lib', path.join(link, 'fd')]) {
      const r = await call(core, 'settings:update', { libraryDir });
      expect(r, libraryDir).toMatchObject({
        ok: false,
        error: { code: 'io', message: expect.stringMatching(/system folder/) },
      });
    }
    expect(core.settings.get().libraryDir).toBe(before);
    expect(JSON.parse(await readFile(path.join(dataDir(), 'settings.json'), 'utf8')).libraryDir).toBe(before);
  });

  it('knows the pseudo-filesystems by path', () => {
    for (const p of ['/proc', '/proc/self/fd', '/sys', '/sys/x', '/dev', '/dev/shm/x', '/proc/../proc/1'])
      expect(isPseudoFilesystemPath(p), p).toBe(true);
    for (const p of ['/home/u/proc', '/procedures', '/devices/x', '/srv/sys', 'relative/proc'])
      expect(isPseudoFilesystemPath(p), p).toBe(false);
  });
});

describe('library switches are bounded in time', () => {
  const fake = (dir: string): HostedLibrary & { disposed: boolean } => ({
    dir,
    disposed: false,
    async dispose() {
      this.disposed = true;
    },
  });

  it('an open that never ends is given up after the bound: unavailable, and the next switch still runs', async () => {
    const a = path.join(root, 'a');
    const hangs = path.join(root, 'hangs');
    const b = path.join(root, 'b');
    for (const d of [a, hangs, b]) await mkdir(d);
    const statuses: LibraryStatus[] = [];
    const opened: ReturnType<typeof fake>[] = [];
    const host = createLibraryHost({
      open: (dir) =>
        dir === hangs ? new Promise<never>(() => {}) : Promise.resolve(opened[opened.push(fake(dir)) - 1]!),
      mayCreate: () => false,
      defaultDir: a,
      timeoutMs: 150,
      onSwitched: () => {},
      onStatus: (s) => statuses.push(s),
      log: () => {},
    });
    await host.switchTo(a);
    expect(host.status().state).toBe('ready');
    const t0 = Date.now();
    await host.switchTo(hangs);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(host.status()).toMatchObject({
      state: 'unavailable',
      libraryDir: hangs,
      error: { code: 'io', message: expect.stringContaining('does not answer') },
    });
    expect(opened[0]!.disposed).toBe(true);
    expect(() => host.current()).toThrow(/does not answer/);
    await host.switchTo(b);
    expect(host.current().dir).toBe(b);
    await host.dispose();
    expect(opened[1]!.disposed).toBe(true);
  });

  it('an open that finishes late is used if its folder is still wanted, else closed', async () => {
    const slow = path.join(root, 'slow');
    const other = path.join(root, 'other');
    for (const d of [slow, other]) await mkdir(d);
    const late: ReturnType<typeof fake>[] = [];
    const switched: string[] = [];
    let delayMs = 400;
    const host = createLibraryHost({
      open: (dir) =>
        new Promise<HostedLibrary>((r) => {
          const lib = fake(dir);
          late.push(lib);
          setTimeout(() => r(lib), dir === slow ? delayMs : 0);
        }),
      mayCreate: () => false,
      defaultDir: slow,
      timeoutMs: 100,
      onSwitched: (d) => switched.push(d),
      onStatus: () => {},
      log: () => {},
    });
    await host.switchTo(slow);
    expect(host.status().state).toBe('unavailable');
    await vi.waitFor(() => expect(host.status().state).toBe('ready'), { timeout: 5000 });
    expect(host.current()).toBe(late[0]);
    expect(switched).toEqual([slow]);

    // Late again, but the user moved on to another folder meanwhile: the late one is closed.
    await host.switchTo(other);
    delayMs = 300;
    await host.switchTo(slow);
    await host.switchTo(other);
    await vi.waitFor(() => expect(late.at(-2)!.disposed).toBe(true), { timeout: 5000 });
    expect(host.current().dir).toBe(other);
    await host.dispose();
  });
});
