import { describe, expect, it } from 'vitest';
import { cleanMessage, describeBody, httpError } from '../../main/providers/gradio/http';
import { fileUrl } from '../../main/providers/gradio/files';
import { spaceError } from '../../main/providers/gradio/space-error';
import { QUOTA_MESSAGE } from '../fake-space';

describe('readable HTTP errors', () => {
  it('takes error/message/detail from JSON and cuts the HTML link tail', () => {
    expect(describeBody('application/json', '{"error":"Too busy <a href=\\"x\\">more</a>"}')).toBe('Too busy');
    expect(describeBody('application/json', '{"message":"Nope"}')).toBe('Nope');
    expect(describeBody('application/json', '{"detail":[{"msg":"field required"}]}')).toBe('field required');
  });

  it('never returns HTML, only a page title', () => {
    const page =
      '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body><h1>x</h1><script>1</script></body></html>';
    const d = describeBody('text/html', page);
    expect(d).toBe('an HTML page ("503 Service Unavailable")');
    const err = httpError(503, 'text/html', page, 'The Space', 'bfl-flux1-dev');
    expect(err.status).toBe(503);
    expect(err.code).toBe('http');
    expect(err.providerId).toBe('bfl-flux1-dev');
    expect(err.message).toBe(
      'The Space answered HTTP 503 Service Unavailable: an HTML page ("503 Service Unavailable").',
    );
    expect(err.message).not.toMatch(/<|script/);
  });

  it('maps statuses to codes', () => {
    expect(httpError(429, 'text/plain', 'slow down', 'The Space').code).toBe('quota');
    expect(httpError(401, '', '', 'Hugging Face').code).toBe('forbidden');
    expect(httpError(503, 'text/html', '<html><title>Space is sleeping</title></html>', 'The Space').code).toBe(
      'space-asleep',
    );
    expect(httpError(500, '', '', 'The Space').message).toBe('The Space answered HTTP 500 Internal Server Error.');
  });

  it('cleans messages: tags, whitespace, length', () => {
    expect(cleanMessage('a <b>bold</b>\n move')).toBe('a bold move');
    expect(cleanMessage('x'.repeat(1000)).length).toBe(300);
  });

  it('classifies Space errors; quota gets advice', () => {
    const q = spaceError(QUOTA_MESSAGE, 'bfl-flux1-dev');
    expect(q.code).toBe('quota');
    expect(q.message).toBe(
      'You have exceeded your GPU quota (60s requested vs. 23s left). Add a Hugging Face token in Settings for a larger quota, or wait and try again.',
    );
    expect(spaceError(null).message).toMatch(/without details/);
    expect(spaceError('CUDA out of memory').message).toBe('The Space reported an error: CUDA out of memory.');
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
