/**
 * Prompt history, presets and styles, and notifications through the core as the app wires it:
 * router → style applied → job runner → a fake Space over real HTTP → library on disk (PNG metadata
 * read back), prompts recorded; the notifier's events and taskbar through a mock platform.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../main/core';
import { A1111_KEYWORD, EMBED_KEYWORD, recordFromChunks } from '../../main/library/png-metadata';
import { readTextChunks } from '../../main/library/png-text-chunks';
import { createNodePlatform } from '../../main/platform';
import type { EventChannel, EventPayloads, InvokeChannel, InvokeResult } from '../../shared/contract';
import type { JobState } from '../../shared/events';
import type { PostedNotification } from '../../shared/queue';
import { GRADIO_VERSIONS, startFakeSpaces, type FakeSpaces } from '../fake-space';

const gradioVersion = GRADIO_VERSIONS.at(-1)!;
const PROVIDER = 'voodoohop-flux1-schnell';

describe(`prompts, presets, styles and notifications through the core (Gradio ${gradioVersion})`, () => {
  let root: string;
  let spaces: FakeSpaces;
  let core: Core;
  const seen: { channel: EventChannel; payload: unknown }[] = [];
  const platform = {
    ...createNodePlatform('/nonexistent-trash'),
    setProgress: vi.fn<(f: number | null) => void>(),
    setBadge: vi.fn<(n: number) => void>(),
  };

  const invoke = (c: Core, channel: InvokeChannel, args?: unknown) =>
    c.router.invoke(channel, args, { transport: 'web' });
  const call = async <C extends InvokeChannel>(channel: C, args?: unknown, c = core): Promise<InvokeResult<C>> => {
    const r = await invoke(c, channel, args);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.value as InvokeResult<C>;
  };
  const refusal = async (channel: InvokeChannel, args?: unknown, c = core) => {
    const r = await invoke(c, channel, args);
    if (r.ok) throw new Error(`${channel} was not refused`);
    return r.error;
  };
  const eventsOf = <E extends EventChannel>(channel: E) =>
    seen.filter((e) => e.channel === channel).map((e) => e.payload as EventPayloads[E]);
  const finished = async (jobId: string): Promise<JobState> => {
    await core.jobs.idle();
    return eventsOf('jobs:updated')
      .filter((j) => j.id === jobId)
      .at(-1)!;
  };
  const generate = async (params: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const { jobs } = await call('jobs:start', {
      params: { model: 'flux-schnell', provider: PROVIDER, ...params },
      count: 1,
      ...extra,
    });
    return Promise.all(jobs.map((j) => finished(j.id)));
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'fg-core-prompts-'));
    spaces = await startFakeSpaces({ gradioVersion, timing: { stepMs: 5, heartbeatMs: 1000 } });
    core = await createCore({
      dataDir: path.join(root, 'data'),
      defaultLibraryDir: path.join(root, 'lib'),
      transport: 'web',
      appVersion: 'test',
      platform,
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

  it('saves, lists, replaces and deletes presets and styles', async () => {
    let state = await call('presets:list');
    expect(state).toEqual({ presets: [], styles: [] });
    state = await call('styles:save', {
      name: 'Cinematic',
      template: 'cinematic photo of {prompt}, 35mm',
      negativePrompt: 'blurry',
    });
    expect(state.styles.map((s) => s.name)).toEqual(['Cinematic']);
    state = await call('presets:save', { name: 'Fast', model: 'flux-schnell', steps: 4, aspectRatio: '16:9' });
    state = await call('presets:save', { name: 'fast', model: 'flux-schnell', steps: 2, style: 'Cinematic' });
    expect(state.presets).toEqual([{ name: 'fast', model: 'flux-schnell', steps: 2, style: 'Cinematic' }]);
    await call('presets:save', { name: 'Temp' });
    state = await call('presets:delete', { name: 'temp' });
    expect(state.presets.map((p) => p.name)).toEqual(['fast']);
    // Refused by the contract's schemas, in words.
    const bad = await refusal('styles:save', { name: 'No slot', template: 'a photo' });
    expect(bad.code).toBe('invalid-argument');
    expect(bad.message).toMatch(/\{prompt\}/);
    expect((await refusal('presets:save', { name: '  ' })).message).toMatch(/a name is needed/);
  });

  it('applies a style when the job is made: the Space gets the styled prompt, history and the PNG keep its name', async () => {
    const [job] = await generate({ prompt: 'a red fox', style: 'cinematic', seed: 11, randomizeSeed: false });
    expect(job!.state).toBe('done');
    expect(job!.params.prompt).toBe('cinematic photo of a red fox, 35mm');
    expect(job!.params.style).toBe('Cinematic');
    expect(job!.params.negativePrompt).toBe('blurry');
    const sent = spaces.spaces[PROVIDER].jobs.at(-1)!;
    expect(sent.data[0]).toBe('cinematic photo of a red fox, 35mm');

    const entry = await call('history:get', { id: job!.entryId });
    expect(entry.prompt).toBe('cinematic photo of a red fox, 35mm');
    expect(entry.params.style).toBe('Cinematic');

    const png = await readFile(await core.resolveMedia('image', entry.id));
    const chunks = readTextChunks(png, [EMBED_KEYWORD, A1111_KEYWORD]);
    expect(chunks.get(A1111_KEYWORD)).toMatch(/^cinematic photo of a red fox, 35mm\n.*Style: Cinematic/s);
    const record = recordFromChunks(chunks)!;
    expect(record.params.style).toBe('Cinematic');
    expect(record.request).toMatchObject({ prompt: 'cinematic photo of a red fox, 35mm', style: 'Cinematic' });

    // Reusing the image makes it again as it was: the styled prompt, no style applied twice.
    const reuse = await call('history:reuse', { id: entry.id });
    expect(reuse.prompt).toBe('cinematic photo of a red fox, 35mm');
    expect(reuse.style).toBeUndefined();

    // The prompt history keeps the prompt as typed, with the style's name.
    const { items } = await call('prompts:list', { text: 'fox' });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ prompt: 'a red fox', uses: 1, pinned: false });
    expect(items[0]!.params).toMatchObject({ prompt: 'a red fox', style: 'Cinematic', seed: 11, randomizeSeed: false });
  });

  it('refuses an unknown style at jobs:start, in words, and records nothing', async () => {
    const before = (await call('prompts:list', {})).items.length;
    const err = await refusal('jobs:start', {
      params: { prompt: 'never made', model: 'flux-schnell', provider: PROVIDER, style: 'Gone' },
      count: 1,
    });
    expect(err.code).toBe('invalid-argument');
    expect(err.message).toMatch(/no style "Gone"/);
    expect((await call('prompts:list', {})).items).toHaveLength(before);
    expect(spaces.spaces[PROVIDER].jobs.some((j) => String(j.data[0]).includes('never made'))).toBe(false);
  });

  it('records every prompt submitted, failed and cancelled jobs too, one record per prompt', async () => {
    await generate({ prompt: 'batch one' }, { extraPrompts: ['batch two'] });

    spaces.spaces[PROVIDER].setFault({ route: 'stream', kind: 'quota' }, { times: 1 });
    const [failed] = await generate({ prompt: 'this one fails' });
    expect(failed!.state).toBe('failed');

    spaces.spaces[PROVIDER].setTiming({ stepMs: 200 });
    const { jobs } = await call('jobs:start', {
      params: { model: 'flux-schnell', provider: PROVIDER, prompt: 'cancelled soon' },
      count: 1,
    });
    await call('jobs:cancel', { jobId: jobs[0]!.id });
    expect((await finished(jobs[0]!.id)).state).toBe('cancelled');
    spaces.spaces[PROVIDER].setTiming({ stepMs: 5 });

    await generate({ prompt: 'batch one', steps: 3 });

    const { items } = await call('prompts:list', {});
    const byPrompt = new Map(items.map((r) => [r.prompt, r]));
    expect([...byPrompt.keys()]).toEqual(
      expect.arrayContaining(['batch one', 'batch two', 'this one fails', 'cancelled soon', 'a red fox']),
    );
    expect(byPrompt.get('batch one')).toMatchObject({ uses: 2 });
    expect(byPrompt.get('batch one')!.params.steps).toBe(3);
    expect(items[0]!.prompt).toBe('batch one');
  });

  it('pins, deletes and clears through the router', async () => {
    const { items } = await call('prompts:list', {});
    const fox = items.find((r) => r.prompt === 'a red fox')!;
    expect((await call('prompts:pin', { id: fox.id, pinned: true })).pinned).toBe(true);
    expect((await call('prompts:list', {})).items[0]!.id).toBe(fox.id);
    const fails = items.find((r) => r.prompt === 'this one fails')!;
    expect(await call('prompts:delete', { id: fails.id })).toEqual({ deleted: true });
    expect(await call('prompts:delete', { id: fails.id })).toEqual({ deleted: false });
    expect((await refusal('prompts:pin', { id: fails.id, pinned: true })).code).toBe('not-found');
    expect((await refusal('prompts:pin', { id: 'bad id!', pinned: true })).code).toBe('invalid-argument');

    const { cleared } = await call('prompts:clear');
    expect(cleared).toBe(items.length - 2);
    expect((await call('prompts:list', {})).items.map((r) => r.prompt)).toEqual(['a red fox']);
    expect(await call('prompts:clear', { keepPinned: false })).toEqual({ cleared: 1 });
    expect((await call('prompts:list', {})).items).toEqual([]);
  });

  it('exports presets and styles and imports them into another data folder; a bad file is refused in words', async () => {
    const { json } = await call('presets:export');
    const other = await createCore({
      dataDir: path.join(root, 'data-2'),
      defaultLibraryDir: path.join(root, 'lib-2'),
      transport: 'web',
      appVersion: 'test',
      log: () => {},
    });
    try {
      await call('styles:save', { name: 'CINEMATIC', template: 'old {prompt}' }, other);
      const r = await call('presets:import', { json }, other);
      expect(r).toMatchObject({ added: 1, replaced: 1 });
      expect({ presets: r.presets, styles: r.styles }).toEqual(await call('presets:list'));

      const notJson = await refusal('presets:import', { json: '{"app": "flux-gallery", ' }, other);
      expect(notJson.code).toBe('invalid-argument');
      expect(notJson.message).toMatch(/not JSON/);
      const wrong = await refusal(
        'presets:import',
        { json: JSON.stringify({ app: 'flux-gallery', kind: 'presets', v: 1, presets: [{ name: 'x', steps: 0 }] }) },
        other,
      );
      expect(wrong.message).toMatch(/presets\.0\.steps/);
    } finally {
      await other.dispose();
    }
  });

  it('posts notifications and drives the taskbar through the platform', async () => {
    seen.length = 0;
    platform.setProgress.mockClear();
    platform.setBadge.mockClear();
    await call('settings:update', { notifications: { sound: true } });
    const jobs = await generate({ prompt: 'notified' }, { count: 2 });
    expect(jobs.map((j) => j.state)).toEqual(['done', 'done']);
    const posted = eventsOf('notifications:posted');
    const done = posted.filter((p) => p.kind === 'job-done');
    expect(done.map((p) => p.entryId).sort()).toEqual(jobs.map((j) => j.entryId).sort());
    expect(done.every((p) => p.sound && p.prompt === 'notified')).toBe(true);
    expect(posted.at(-1)).toMatchObject<Partial<PostedNotification>>({ kind: 'queue-done', count: 2 });
    expect(platform.setBadge).toHaveBeenCalledWith(1);
    expect(platform.setBadge).toHaveBeenLastCalledWith(0);
    expect(platform.setProgress).toHaveBeenLastCalledWith(null);
    const fractions = platform.setProgress.mock.calls.map(([f]) => f).filter((f): f is number => f !== null);
    expect(fractions.length).toBeGreaterThan(0);
    expect(fractions.every((f) => f >= 0 && f <= 1)).toBe(true);

    await call('settings:update', { notifications: { jobDone: false, queueDone: false, badge: false } });
    seen.length = 0;
    platform.setBadge.mockClear();
    await generate({ prompt: 'quiet' });
    expect(eventsOf('notifications:posted')).toEqual([]);
    expect(platform.setBadge).not.toHaveBeenCalled();
  });
});
