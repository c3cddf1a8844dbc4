/**
 * The two huggingface.co pages ZeroGPU clients read (not Gradio): the Space page with its
 * HTML-escaped ZeroGPU token and session uuid, and the jwt endpoint for a user's HF token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendHtml, sendJson } from './http-util';

export interface ZeroGpu {
  pageToken: string;
  sessionUuid: string;
  jwtToken: string;
  acceptHfToken: string | undefined;
  quotaWithoutJwt: boolean;
}

/** `GET /spaces/{owner}/{name}`. */
export function sendSpacePage(res: ServerResponse, path: string, zero: ZeroGpu): void {
  const space = path.replace(/^\/spaces\//, '').replace(/\/$/, '');
  const props = JSON.stringify({
    space: { id: space, runtime: { hardware: 'zero-a10g' } },
    csrf: 'x',
    zeroGPU: { token: zero.pageToken, sessionUuid: zero.sessionUuid },
  }).replace(/"/g, '&quot;');
  sendHtml(
    res,
    200,
    `<!doctype html><html><head><title>${space} - a Hugging Face Space</title></head><body>` +
      `<div class="SVELTE_HYDRATER contents" data-target="SpacePageInner" data-props="${props}"></div></body></html>`,
  );
}

/** `GET /api/spaces/{owner}/{name}/jwt?expiration=…&include_pro_status=true` with `Authorization: Bearer`. */
export function sendJwt(res: ServerResponse, req: IncomingMessage, url: URL, zero: ZeroGpu): void {
  const auth = req.headers.authorization ?? '';
  const token = /^Bearer (\S+)$/.exec(auth)?.[1];
  if (!token || (zero.acceptHfToken !== undefined && token !== zero.acceptHfToken)) {
    return sendJson(res, 401, { error: 'Invalid credentials in Authorization header' });
  }
  const expiration = url.searchParams.get('expiration');
  if (!expiration || Number.isNaN(Date.parse(expiration)) || url.searchParams.get('include_pro_status') !== 'true') {
    return sendJson(res, 400, { error: 'Invalid expiration' });
  }
  sendJson(res, 200, { token: zero.jwtToken, isPro: false });
}
