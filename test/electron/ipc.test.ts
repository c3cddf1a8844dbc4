import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC } from '../../shared/contract';
import { createCore, type Core } from '../../main/core';
import { createFrameGuard } from '../../main/electron/frame-guard';
import { FORBIDDEN, forwardEvents, registerIpc } from '../../main/electron/ipc';
import { fakeContents, fakeFrame, ipcEvent, type FakeContents } from './fakes';
import type { IpcMain, WebContents } from 'electron';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Handler>();
  return {
    handlers,
    listeners,
    handle: vi.fn((channel: string, h: Handler) => void handlers.set(channel, h)),
    on: vi.fn((channel: string, h: Handler) => void listeners.set(channel, h)),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
    removeListener: vi.fn((channel: string) => void listeners.delete(channel)),
  } as unknown as Pick<IpcMain, 'handle' | 'on' | 'removeHandler' | 'removeListener'> & {
    handlers: Map<string, Handler>;
    listeners: Map<string, Handler>;
  };
}

describe('frame guard', () => {
  let contents: FakeContents & WebContents;
  let guard: ReturnType<typeof createFrameGuard>;
  beforeEach(() => {
    contents = fakeContents();
    guard = createFrameGuard(() => contents);
  });

  it("accepts our window's main frame on our page", () => {
    expect(guard(ipcEvent(contents, contents.mainFrame))).toBe(true);
  });

  it('accepts the same frame seen through another wrapper object (same process and routing id)', () => {
    expect(guard(ipcEvent(contents, { ...contents.mainFrame }))).toBe(true);
  });

  it('refuses a subframe of our window', () => {
    const sub = fakeFrame('app://flux-gallery/index.html', contents.mainFrame);
    expect(guard(ipcEvent(contents, sub))).toBe(false);
  });

  it('refuses a frame with a foreign URL, even as main frame', () => {
    contents.mainFrame.url = 'https://evil.example/';
    expect(guard(ipcEvent(contents, contents.mainFrame))).toBe(false);
    contents.mainFrame.url = 'file:///tmp/x.html';
    expect(guard(ipcEvent(contents, contents.mainFrame))).toBe(false);
  });

  it('refuses another web contents, a missing frame, and a destroyed or absent window', () => {
    const other = fakeContents();
    expect(guard(ipcEvent(other, other.mainFrame))).toBe(false);
    expect(guard(ipcEvent(contents, other.mainFrame))).toBe(false);
    expect(guard(ipcEvent(contents, null))).toBe(false);
    contents.destroyed = true;
    expect(guard(ipcEvent(contents, contents.mainFrame))).toBe(false);
    expect(createFrameGuard(() => null)(ipcEvent(contents, contents.mainFrame))).toBe(false);
  });
});

describe('IPC glue with the real core', () => {
  let dir: string;
  let core: Core;
  let contents: FakeContents & WebContents;
  let ipc: ReturnType<typeof fakeIpcMain>;
  let dispose: () => void;
  const log = vi.fn();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'flux-ipc-'));
    core = await createCore({
      dataDir: dir,
      defaultLibraryDir: path.join(dir, 'library'),
      transport: 'electron',
      appVersion: '1.2.3',
      log: () => {},
    });
  });
  afterAll(async () => {
    await core.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    contents = fakeContents();
    ipc = fakeIpcMain();
    log.mockClear();
    dispose = registerIpc(
      ipc,
      core.router,
      createFrameGuard(() => contents),
      log,
    );
  });

  const invoke = (event: unknown, channel: unknown, args?: unknown) =>
    ipc.handlers.get(IPC.invoke)!(event, channel, args) as Promise<unknown>;

  it('registers exactly the contract channels', () => {
    expect([...ipc.handlers.keys()]).toEqual([IPC.invoke]);
    expect([...ipc.listeners.keys()]).toEqual([IPC.send]);
  });

  it('answers our main frame through the router', async () => {
    const answer = await invoke(ipcEvent(contents, contents.mainFrame), 'app:info', undefined);
    expect(answer).toEqual({
      ok: true,
      value: expect.objectContaining({ name: 'Flux Gallery', version: '1.2.3', transport: 'electron' }),
    });
  });

  it('refuses a foreign frame before the router runs', async () => {
    const spy = vi.spyOn(core.router, 'invoke');
    const sub = fakeFrame('app://flux-gallery/index.html', contents.mainFrame);
    expect(await invoke(ipcEvent(contents, sub), 'app:info')).toEqual(FORBIDDEN);
    const other = fakeContents();
    expect(await invoke(ipcEvent(other, other.mainFrame), 'settings:get')).toEqual(FORBIDDEN);
    expect(spy).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('foreign sender'));
    spy.mockRestore();
  });

  it('refuses unknown channels and invalid arguments (validated by the contract schemas)', async () => {
    const ours = ipcEvent(contents, contents.mainFrame);
    expect(await invoke(ours, 'shell:exec', { cmd: 'rm -rf /' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
    expect(await invoke(ours, '__proto__')).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(await invoke(ours, 'history:get', { id: '../../etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument' },
    });
    expect(await invoke(ours, 'settings:update', { libraryDir: 42, extra: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument' },
    });
  });

  it('keeps untrusted channel names out of the log verbatim', async () => {
    const other = fakeContents();
    await invoke(ipcEvent(other, other.mainFrame), 'x\n\u001b[31mFAKE LOG LINE' + 'y'.repeat(200));
    const line = String(log.mock.calls[0]?.[0]);
    expect(line.includes('\n') || line.includes('\u001b')).toBe(false);
    expect(line.length).toBeLessThan(140);
  });

  it('forwards send channels from our frame only', () => {
    const spy = vi.spyOn(core.router, 'send');
    const send = ipc.listeners.get(IPC.send)!;
    send(ipcEvent(contents, contents.mainFrame), 'drag:start', { id: 'abcdef12' });
    expect(spy).toHaveBeenCalledWith('drag:start', { id: 'abcdef12' }, { transport: 'electron' });
    spy.mockClear();
    const sub = fakeFrame('app://flux-gallery/index.html', contents.mainFrame);
    send(ipcEvent(contents, sub), 'drag:start', { id: 'abcdef12' });
    send(ipcEvent(contents, contents.mainFrame), 'jobs:start', {});
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('unregisters on dispose', () => {
    dispose();
    expect(ipc.handlers.size).toBe(0);
    expect(ipc.listeners.size).toBe(0);
  });
});

describe('event forwarding', () => {
  it('sends contract events to our page only', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'flux-events-'));
    const core = await createCore({
      dataDir: dir,
      defaultLibraryDir: path.join(dir, 'library'),
      transport: 'electron',
      appVersion: '0',
    });
    const contents = fakeContents();
    let current: WebContents | null = contents;
    const stop = forwardEvents(core.events, () => current);
    core.events.emit('history:removed', { id: 'abcdef12' });
    expect(contents.sent).toEqual([[IPC.event, 'history:removed', { id: 'abcdef12' }]]);

    contents.url = 'https://evil.example/';
    core.events.emit('history:removed', { id: 'abcdef13' });
    contents.url = 'app://flux-gallery/index.html';
    contents.destroyed = true;
    core.events.emit('history:removed', { id: 'abcdef14' });
    current = null;
    core.events.emit('history:removed', { id: 'abcdef15' });
    expect(contents.sent).toHaveLength(1);

    stop();
    await core.dispose();
    await rm(dir, { recursive: true, force: true });
  });
});
