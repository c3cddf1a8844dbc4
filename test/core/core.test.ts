/**
 * The core as the app wires it: router → job runner → providers (fake Spaces over real HTTP) →
 * library on disk, with events, settings changes and a library folder switch; for every Gradio
 * version the fake Spaces play.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import type { EventChannel, EventPayloads, InvokeChannel, InvokeResult } from '../../shared/contract';
import type { JobState } from '../../shared/events';
import { GRADIO_VERSIONS, startFakeSpaces, type FakeSpaces } from '../fake-space';
import { startTestProxy } from '../helpers/proxy';

describe.each(GRADIO_VERSIONS)('core (Gradio %s)', (gradioVersion) => {
  let root: string;
  let spaces: FakeSpaces;
  let core: Core;
  const seen: { channel: EventChannel; payload: unknown }[] = [];

  const call = async <C extends InvokeChannel>(channel: C, args?: unknown): Promise<InvokeResult<C>> => {
    const r = await core.router.invoke(channel, args, { transport: 'web' });
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.value as InvokeResult<C>;
  };
  const eventsOf = <E extends EventChannel>(channel: E) =>
    seen.filter((e) => e.channel === channel).map((e) => e.payload as EventPayloads[E]);
  const finished = async (jobId: string): Promise<JobState> => {
    await core.jobs.idle();
    return eventsOf('jobs:updated')
      .filter((j) => j.id === jobId)
      .at(-1)!;
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'fg-core-'));
    spaces = await startFakeSpaces({ gradioVersion, timing: { stepMs: 5, heartbeatMs: 1000 } });
    core = await createCore({
      dataDir: path.join(root, 'data'),
      defaultLibraryDir: path.join(root, 'lib-a'),
      transport: 'web',
      appVersion: 'test',
      log: () => {},
    });
    core.events.subscribe((channel, payload) => seen.push({ channel, payload }));
    await call('settings:update', { providerUrls: spaces.providerUrls, hfUrl: spaces.hfUrl });
  });
  afterAll(async () => {
    await core.dispose();
    await spaces.close();
    await rm(root, { recursive: true, force: true });
  });

  it('lists the models and the providers with the URLs the user set', async () => {
    const { models, providers } = await call('models:list');
    expect(models.map((m) => m.alias)).toEqual(expect.arrayContaining(['flux', 'flux-dev', 'flux-schnell']));
    const schnell = providers.find((p) => p.id === 'voodoohop-flux1-schnell');
    expect(schnell?.baseUrl).toBe(spaces.providerUrls['voodoohop-flux1-schnell']);
  });

  it('generates through the router, saves to the library and announces it', async () => {
    const { jobs } = await call('jobs:start', {
      params: { prompt: 'a red fox', model: 'flux-schnell', provider: 'voodoohop-flux1-schnell', seed: 7 },
      count: 1,
    });
    const job = await finished(jobs[0]!.id);
    expect(job.state).toBe('done');
    const entry = await call('history:get', { id: job.entryId });
    expect(entry.prompt).toBe('a red fox');
    expect(entry.providerId).toBe('voodoohop-flux1-schnell');
    expect(eventsOf('history:added').map((e) => e.id)).toContain(entry.id);
    const file = await core.resolveMedia('image', entry.id);
    expect(file.startsWith(path.join(root, 'lib-a'))).toBe(true);
    expect((await stat(file)).size).toBeGreaterThan(0);
    expect((await call('history:query', {})).total).toBe(1);
  });

  it('reports a failed Space in the job, in words', async () => {
    spaces.spaces['bfl-flux1-schnell'].setFault({ route: 'stream', kind: 'quota' }, { times: 1 });
    const { jobs } = await call('jobs:start', {
      params: { prompt: 'quota', model: 'flux-schnell', provider: 'bfl-flux1-schnell' },
      count: 1,
    });
    const job = await finished(jobs[0]!.id);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('quota');
    expect(job.error?.message).not.toMatch(/<html/i);
  });

  it('deletes with undo and drags by id', async () => {
    const [entry] = (await call('history:query', {})).items;
    core.router.send('drag:start', { id: entry!.id }, { transport: 'web' });
    const drags = (core.platform as { dragRequests?: { filePath: string }[] }).dragRequests;
    expect(drags?.at(-1)?.filePath).toBe(await core.resolveMedia('image', entry!.id));

    await call('history:delete', { id: entry!.id });
    expect((await call('history:query', {})).total).toBe(0);
    await call('history:undoDelete', { id: entry!.id });
    expect((await call('history:query', {})).total).toBe(1);
  });

  it('switches to another library folder when the setting changes, and back', async () => {
    const other = path.join(root, 'lib-b');
    await call('settings:update', { libraryDir: other });
    expect(core.library().dir).toBe(other);
    expect((await call('history:query', {})).total).toBe(0);

    const { jobs } = await call('jobs:start', {
      params: { prompt: 'in b', model: 'flux-schnell', provider: 'voodoohop-flux1-schnell' },
      count: 2,
    });
    for (const j of jobs) expect((await finished(j.id)).state).toBe('done');
    expect((await call('history:query', {})).total).toBe(2);

    await call('settings:update', { libraryDir: path.join(root, 'lib-a') });
    const page = await call('history:query', {});
    expect(page.items.map((e) => e.prompt)).toEqual(['a red fox']);
  });

  it('refuses a library folder it cannot write, keeping the current one', async () => {
    const before = core.library().dir;
    // Under a regular file: no folder can be made there, even as root.
    const blocker = path.join(root, 'not-a-folder');
    await writeFile(blocker, 'x');
    const r = await core.router.invoke(
      'settings:update',
      { libraryDir: path.join(blocker, 'lib') },
      { transport: 'web' },
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'io', message: expect.stringContaining('not-a-folder') });
    expect(core.library().dir).toBe(before);
    expect(core.settings.get().libraryDir).toBe(before);

    // A file, and a place where folders cannot be made (Node's own recursive mkdir spins there).
    for (const libraryDir of [blocker, '/proc/flux-gallery/lib']) {
      const refused = await core.router.invoke('settings:update', { libraryDir }, { transport: 'web' });
      expect(refused.ok ? null : refused.error.code).toBe('io');
    }
    expect(core.settings.get().libraryDir).toBe(before);
  });

  it('refuses a pinned provider that does not serve the model before starting any job', async () => {
    const r = await core.router.invoke(
      'jobs:start',
      { params: { prompt: 'x', model: 'flux-dev', provider: 'voodoohop-flux1-schnell' }, count: 1 },
      { transport: 'web' },
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('flux-dev') });
    expect((await call('jobs:list')).jobs.filter((j) => j.params.prompt === 'x')).toEqual([]);
  });

  it('rejects bad arguments with a clear error and keeps serving', async () => {
    const r = await core.router.invoke('history:get', { id: '../../etc/passwd' }, { transport: 'web' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('invalid-argument');
    expect((await call('app:info')).name).toBe('Flux Gallery');
  });
});

describe.each(GRADIO_VERSIONS)('core behind a proxy (Gradio %s)', (gradioVersion) => {
  it('sends the Space API and the image download through the proxy', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'fg-core-proxy-'));
    // A 1 MB image: far more than the API's own traffic, so the bytes tell whether it came via the proxy.
    const spaces = await startFakeSpaces({
      gradioVersion,
      timing: { stepMs: 5, heartbeatMs: 1000 },
      image: { bytes: 1_000_000 },
    });
    const proxy = await startTestProxy();
    const core = await createCore({
      dataDir: path.join(root, 'data'),
      defaultLibraryDir: path.join(root, 'lib'),
      transport: 'web',
      appVersion: 'test',
      log: () => {},
    });
    try {
      await core.settings.update({ providerUrls: spaces.providerUrls, hfUrl: spaces.hfUrl, proxy: proxy.url });
      const started = await core.router.invoke(
        'jobs:start',
        { params: { prompt: 'via proxy', model: 'flux-schnell', provider: 'voodoohop-flux1-schnell' }, count: 1 },
        { transport: 'web' },
      );
      expect(started.ok).toBe(true);
      await core.jobs.idle();
      expect(core.jobs.list()[0]?.state).toBe('done');
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(proxy.bytesIn()).toBeGreaterThan(1_000_000);
    } finally {
      await core.dispose();
      await proxy.close();
      await spaces.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
