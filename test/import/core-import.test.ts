/** `library:importPaths` through the core as the app wires it: an operation with progress events and a final report. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import type { EventChannel, EventPayloads, InvokeChannel } from '../../shared/contract';
import { SWARM_JSON, pngWith } from './fixtures';

describe('import through the core', () => {
  let root: string;
  let core: Core;
  const seen: { channel: EventChannel; payload: unknown }[] = [];
  const invoke = (channel: InvokeChannel, args?: unknown) => core.router.invoke(channel, args, { transport: 'web' });
  const eventsOf = <E extends EventChannel>(channel: E) =>
    seen.filter((e) => e.channel === channel).map((e) => e.payload as EventPayloads[E]);

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'fg-core-import-'));
    core = await createCore({
      dataDir: path.join(root, 'data'),
      defaultLibraryDir: path.join(root, 'lib'),
      transport: 'web',
      appVersion: 'test',
      log: () => {},
    });
    core.events.subscribe((channel, payload) => seen.push({ channel, payload }));
  });
  afterAll(async () => {
    await core.dispose();
    await rm(root, { recursive: true, force: true });
  });

  it('starts, reports progress and finishes with the per-file report; history:added for each image', async () => {
    const src = path.join(root, 'src');
    await mkdir(src);
    await writeFile(path.join(src, 'swarm.png'), await pngWith([['parameters', SWARM_JSON]]));
    await writeFile(path.join(src, 'junk.webp'), 'junk');
    const r = await invoke('library:importPaths', { paths: [src] });
    expect(r.ok).toBe(true);
    const { operationId } = (r as { value: { operationId: string } }).value;
    let finished: EventPayloads['library:importFinished'] | undefined;
    for (let i = 0; i < 500 && !finished; i++) {
      finished = eventsOf('library:importFinished').find((e) => e.operationId === operationId);
      await new Promise((res) => setTimeout(res, 10));
    }
    expect(finished).toMatchObject({ status: 'done', counts: { imported: 1, 'not-image': 1 } });
    expect(eventsOf('library:importProgressed').at(-1)).toMatchObject({ operationId, done: 2, total: 2 });
    expect(eventsOf('history:added')).toHaveLength(1);
    expect(eventsOf('history:added')[0]).toMatchObject({ prompt: 'a glass teapot', params: { source: 'swarmui' } });
    expect(await invoke('library:importCancel', { operationId })).toMatchObject({
      ok: true,
      value: { cancelled: false },
    });
    expect((await invoke('library:importPaths', { paths: [] })).ok).toBe(false);
  });
});
