import { describe, expect, it } from 'vitest';
import { cleanMessage, describeBody, httpError } from '../../main/providers/gradio/http';
import { fileUrl } from '../../main/providers/gradio/files';
import { parseQuota, spaceError, unquote } from '../../main/providers/gradio/space-error';
import { QUOTA_MESSAGE } from '../fake-space';

describe('readable HTTP errors', () => {
  it('takes error/message/detail from JSON and cuts the HTML link tail', () => {
    expect(describeBody('application/json', '{"error":"Too busy <a href=\\"x\\">more</a>"}')).toBe('Too busy');
    expect(describeBody('application/json', '{"message":"Nope"}')).toBe('Nope');
    expect(describeBody('application/json', '{"detail":[{"msg":"field required"}]}')).toBe('field required');
  });

  it('never returns HTML: a page is reduced to its meaning, never its title', () => {
    const page =
      '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body><h1>x</h1><script>1</script></body></html>';
    expect(describeBody('text/html', page)).toBe('an HTML page');
    const err = httpError(503, 'text/html', page, 'The Space', 'bfl-flux1-dev');
    expect(err.status).toBe(503);
    expect(err.code).toBe('http');
    expect(err.providerId).toBe('bfl-flux1-dev');
    expect(err.message).toBe('The Space answered HTTP 503 Service Unavailable: an HTML page.');
    expect(err.message).not.toMatch(/<|script/);

    const paused =
      '<html><head><title>Hugging Face</title></head><body><p>The space is paused, ask a maintainer to restart it</p></body></html>';
    expect(describeBody('text/html', paused)).toBe('the Space is paused by its author');
    expect(httpError(503, 'text/html', paused, 'The Space').code).toBe('space-paused');
    const asleep = '<html><title>x</title><body>This Space is sleeping due to inactivity.</body></html>';
    expect(describeBody('text/html', asleep)).toBe('the Space is asleep');
    expect(httpError(503, 'text/html', asleep, 'The Space').code).toBe('space-asleep');
    const building = '<html><body><h1>Building</h1><script>var sleeping = 1;</script></body></html>';
    expect(describeBody('text/html', building)).toBe('the Space is starting');
    const broken = '<html><body>Runtime error: exit code 1</body></html>';
    expect(httpError(503, 'text/html', broken, 'The Space').code).toBe('space-broken');
  });

  it('maps statuses to codes', () => {
    // The Hugging Face proxy's rate limit is not the GPU quota.
    expect(httpError(429, 'text/plain', 'slow down', 'The Space').code).toBe('rate-limited');
    expect(httpError(401, '', '', 'Hugging Face').code).toBe('forbidden');
    expect(httpError(503, 'text/html', '<html><title>Space is sleeping</title></html>', 'The Space').code).toBe(
      'space-asleep',
    );
    const full = httpError(
      503,
      'application/json',
      '{"detail":"Queue is full. Max size is 3 and size is 3."}',
      'The Space',
    );
    expect(full.code).toBe('busy');
    // No doubled final period.
    expect(full.message).toBe(
      'The Space answered HTTP 503 Service Unavailable: Queue is full. Max size is 3 and size is 3.',
    );
    expect(httpError(503, 'application/json', '{"detail":"Queue is stopped."}', 'The Space').code).toBe('busy');
    expect(httpError(500, '', '', 'The Space').message).toBe('The Space answered HTTP 500 Internal Server Error.');
  });

  it('cleans messages: tags, whitespace, length', () => {
    expect(cleanMessage('a <b>bold</b>\n move')).toBe('a bold move');
    expect(cleanMessage('x'.repeat(1000)).length).toBe(300);
  });

  it('classifies Space errors; quota gets its figures and advice', () => {
    const q = spaceError(QUOTA_MESSAGE, 'bfl-flux1-dev');
    expect(q.code).toBe('quota');
    expect(q.message).toBe(
      'You have exceeded your GPU quota (60s requested vs. 23s left). Add a Hugging Face token in Settings for a larger quota, or wait and try again.',
    );
    expect(q.toInfo().quota).toEqual({ requestedSeconds: 60, leftSeconds: 23, retryInSeconds: null });
    const zero = spaceError(
      'You have exceeded your free ZeroGPU quota (60s requested vs. 23s left). Try again in 0:05:12.',
      'bfl-flux1-dev',
      'ZeroGPU quota exceeded',
    );
    expect(zero.quota).toEqual({ requestedSeconds: 60, leftSeconds: 23, retryInSeconds: 312 });
    expect(zero.message).not.toMatch(/\.\./);
    expect(parseQuota('nothing here')).toBeNull();
    // Gradio 4.x: repr() of the message, in Python quotes.
    expect(spaceError("'CUDA out of memory'").message).toBe('The Space reported an error: CUDA out of memory.');
    expect(unquote(`"it's \\"here\\""`)).toBe(`it's "here"`);
    expect(spaceError(null).message).toMatch(/without details/);
    const refused = spaceError(null, 'bfl-flux1-schnell', null, { emptyMeans: 'refused' });
    expect(refused.code).toBe('space-refused');
    expect(refused.message).toMatch(/refused the job without details \(often the GPU quota\).*Hugging Face token/);
    expect(spaceError('CUDA out of memory').message).toBe('The Space reported an error: CUDA out of memory.');
    const range = spaceError('Value 128 is less than minimum value 256.');
    expect(range.code).toBe('invalid-argument');
    expect(range.message).toBe('The Space refused a value: Value 128 is less than minimum value 256.');
  });
});

describe('file URLs', () => {
  const at = { base: 'https://s.hf.space', apiPrefix: '/gradio_api' };
  it('uses url, else builds it from path, else from a bare string', () => {
    expect(fileUrl({ url: 'https://cdn/x.webp', path: '/tmp/x.webp' }, at)).toBe('https://cdn/x.webp');
    expect(fileUrl({ path: '/tmp/x.webp' }, at)).toBe('https://s.hf.space/gradio_api/file=/tmp/x.webp');
    expect(fileUrl('/tmp/y.png', { ...at, apiPrefix: '' })).toBe('https://s.hf.space/file=/tmp/y.png');
    expect(fileUrl({ url: '/gradio_api/file=/tmp/z.webp' }, at)).toBe('https://s.hf.space/gradio_api/file=/tmp/z.webp');
  });
  it('refuses what cannot be downloaded', () => {
    expect(fileUrl(null, at)).toBeNull();
    expect(fileUrl(42, at)).toBeNull();
    expect(fileUrl('data:image/png;base64,AAAA', at)).toBeNull();
    expect(fileUrl({ url: 'file:///etc/passwd' }, at)).toBeNull();
  });
});
