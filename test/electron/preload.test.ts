import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC, type FluxGalleryApi } from '../../shared/contract';

const m = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const rendererListeners = new Map<string, (...a: unknown[]) => void>();
  return {
    exposed,
    rendererListeners,
    contextBridge: { exposeInMainWorld: vi.fn((key: string, api: unknown) => void exposed.set(key, api)) },
    ipcRenderer: {
      invoke: vi.fn(),
      send: vi.fn(),
      on: vi.fn((channel: string, l: (...a: unknown[]) => void) => void rendererListeners.set(channel, l)),
    },
  };
});
const webUtils = vi.hoisted(() => ({
  getPathForFile: vi.fn((f: File) => (f.name === 'made.png' ? '' : `/drop/${f.name}`)),
}));
vi.mock('electron', () => ({ contextBridge: m.contextBridge, ipcRenderer: m.ipcRenderer, webUtils }));

let api: FluxGalleryApi;
beforeAll(async () => {
  await import('../../preload/index');
  api = m.exposed.get('fluxGallery') as FluxGalleryApi;
});

const emit = (channel: unknown, payload: unknown) => m.rendererListeners.get(IPC.event)!({}, channel, payload);

describe('preload bridge', () => {
  it('exposes exactly window.fluxGallery with the contract API, frozen, and nothing of Electron', () => {
    expect([...m.exposed.keys()]).toEqual(['fluxGallery']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'mediaUrl', 'on', 'pathForFile', 'send', 'transport']);
    expect(api.transport).toBe('electron');
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.values(api)).not.toContain(m.ipcRenderer);
    expect([...m.rendererListeners.keys()]).toEqual([IPC.event]);
  });

  it('gives a dropped file its path through webUtils, and nothing for what is not a File (issue 18)', () => {
    expect(api.pathForFile!(new File([new Uint8Array(1)], 'cat.png'))).toBe('/drop/cat.png');
    // A file made in the page has no path: Electron answers "".
    expect(api.pathForFile!(new File([new Uint8Array(1)], 'made.png'))).toBeNull();
    expect(api.pathForFile!({ name: 'x' } as unknown as File)).toBeNull();
    expect(webUtils.getPathForFile).toHaveBeenCalledTimes(2);
  });

  it('invokes contract channels over the single invoke channel and unwraps results', async () => {
    m.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { jobs: [] } });
    await expect(api.invoke('jobs:list', undefined)).resolves.toEqual({ jobs: [] });
    expect(m.ipcRenderer.invoke).toHaveBeenLastCalledWith(IPC.invoke, 'jobs:list', undefined);
  });

  it('rejects with a plain object carrying the error code (contextBridge drops Error fields)', async () => {
    m.ipcRenderer.invoke.mockResolvedValueOnce({
      ok: false,
      error: { code: 'quota', message: 'GPU quota reached.', status: 429, providerId: 'zerogpu' },
    });
    const err = await api.invoke('jobs:cancelAll', undefined).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'BridgeError', code: 'quota', message: 'GPU quota reached.', status: 429 });
    expect(String(err)).toBe('GPU quota reached.');
  });

  it('refuses channels outside the contract without touching IPC', async () => {
    m.ipcRenderer.invoke.mockClear();
    const bad = api.invoke as (c: string, a: unknown) => Promise<unknown>;
    await expect(bad('shell:openExternal', 'file:///')).rejects.toMatchObject({ code: 'unknown-channel' });
    await expect(bad('__proto__', {})).rejects.toMatchObject({ code: 'unknown-channel' });
    expect(m.ipcRenderer.invoke).not.toHaveBeenCalled();
    expect(() => (api.send as (c: string, a: unknown) => void)('jobs:start', {})).toThrow(/Unknown channel/);
    expect(() => (api.on as (c: string, l: () => void) => void)('electron-store-get-data', () => {})).toThrow(
      /Unknown event/,
    );
  });

  it('sends drag:start on the send channel', () => {
    api.send('drag:start', { id: 'abcdef12' });
    expect(m.ipcRenderer.send).toHaveBeenCalledWith(IPC.send, 'drag:start', { id: 'abcdef12' });
  });

  it('delivers contract events (payload only) and unsubscribes', () => {
    const seen: unknown[] = [];
    const off = api.on('history:removed', (p) => seen.push(p));
    emit('history:removed', { id: 'abcdef12' });
    emit('not-an-event', { id: 'x' });
    off();
    emit('history:removed', { id: 'abcdef13' });
    expect(seen).toEqual([{ id: 'abcdef12' }]);
  });

  it('keeps delivering when one listener throws', async () => {
    const seen: unknown[] = [];
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onError);
    const off1 = api.on('history:removed', () => {
      throw new Error('listener bug');
    });
    const off2 = api.on('history:removed', (p) => seen.push(p));
    emit('history:removed', { id: 'abcdef12' });
    await new Promise((r) => setTimeout(r, 0));
    process.off('uncaughtException', onError);
    off1();
    off2();
    expect(seen).toEqual([{ id: 'abcdef12' }]);
    expect(errors).toEqual([expect.objectContaining({ message: 'listener bug' })]);
  });

  it('builds gallery URLs from ids only', () => {
    expect(api.mediaUrl('thumb', 'abc_DEF-12')).toBe('gallery://thumb/abc_DEF-12');
    expect(api.mediaUrl('image', '../../etc/passwd')).toBe('gallery://image/..%2F..%2Fetc%2Fpasswd');
    expect(() => api.mediaUrl('file' as 'image', 'x')).toThrow(/media kind/);
  });
});
