/**
 * The official `@gradio/client` works against the fake Space, so the benchmark that compares our
 * client with it (bench/network.ts) cannot silently measure a client that fails early.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@gradio/client';
import { detectImageType } from '../../main/library/image-bytes';
import { GRADIO_VERSIONS, RULES, startFakeSpace, type FakeSpace } from '../fake-space';

let space: FakeSpace | null = null;
afterEach(async () => {
  await space?.close();
  space = null;
});

interface FileOut {
  url: string;
  size: number;
}

const inputs = (prompt: string, seed: number) => [prompt, seed, false, 256, 256, 3.5, 8];
const schnellInputs = (prompt: string, seed: number) => [prompt, seed, false, 512, 256, 2];

describe('@gradio/client against the fake Space', () => {
  it('connects, predicts /infer on the queue API (sse_v3) and gets a downloadable image', async () => {
    space = await startFakeSpace({ image: { format: 'png', bytes: 200_000 }, timing: { stepMs: 1 } });
    const client = await Client.connect(space.url);
    expect(client.api_prefix).toBe('/gradio_api');

    const result = await client.predict('/infer', inputs('a red fox', 42));
    const [file, seed] = result.data as [FileOut, number];
    expect(seed).toBe(42);
    expect(file.url).toContain('/gradio_api/file=');
    const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
    expect(bytes.length).toBe(file.size);
    expect(detectImageType(bytes)).toBe('png');

    const join = space.requestsTo('join')[0]!;
    expect(join.path).toBe('/gradio_api/queue/join');
    expect(join.body).toMatchObject({ fn_index: 2, data: inputs('a red fox', 42) });
  });

  it('runs concurrent predictions on one session over a single stream', async () => {
    space = await startFakeSpace({ image: { format: 'png' }, timing: { stepMs: 1 } });
    const client = await Client.connect(space.url);
    const results = await Promise.all([1, 2, 3, 4].map((n) => client.predict('/infer', inputs(`job ${n}`, n))));
    expect(results.map((r) => (r.data as [FileOut, number])[1])).toEqual([1, 2, 3, 4]);
    // Jobs joined after the stream opened rode on it; none was left waiting.
    await expect.poll(() => space!.jobs.map((j) => j.state)).toEqual(['done', 'done', 'done', 'done']);
    expect(new Set(space.jobs.map((j) => j.sessionHash)).size).toBe(1);
    await expect.poll(() => space!.openStreams()).toBe(0);
  });

  it.each(GRADIO_VERSIONS)('predicts on a Schnell-layout Space running Gradio %s', async (version) => {
    space = await startFakeSpace({ gradioVersion: version, layout: 'schnell', timing: { stepMs: 1 } });
    const client = await Client.connect(space.url);
    const result = await client.predict('/infer', schnellInputs('a lighthouse', 7));
    const [file, seed] = result.data as [FileOut, number];
    expect(seed).toBe(7);
    expect(file.url).toContain(`${RULES[version].apiPrefix}/file=`);
    const res = await fetch(file.url);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const join = space.requestsTo('join')[0]!;
    expect(join.path).toBe(`${RULES[version].apiPrefix}/queue/join`);
    expect(join.body).toMatchObject({ fn_index: 2, data: schnellInputs('a lighthouse', 7) });
  });

  it('a value outside a slider fails the job inside it (Gradio 5.39+), and the client rejects', async () => {
    space = await startFakeSpace({ timing: { stepMs: 1 } });
    const client = await Client.connect(space.url);
    await expect(client.predict('/infer', ['a red fox', 1, false, 128, 256, 3.5, 8])).rejects.toMatchObject({
      message: 'Value 128 is less than minimum value 256.',
    });
    expect(space.jobs[0]!.state).toBe('failed');
  });
});
