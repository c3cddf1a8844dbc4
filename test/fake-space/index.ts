/**
 * The fake Hugging Face Space used by provider, job-runner, e2e tests and benchmarks.
 *
 *   const space = await startFakeSpace({ timing: { stepMs: 5 } });
 *   space.setFault({ route: 'join', kind: 'http', status: 503 }, { times: 1 });
 *   // … point a provider's base URL (and hfUrl) at space.url …
 *   await space.close();
 *
 *   const all = await startFakeSpaces();   // one server per provider
 *   routeGeneration(params, { providerUrls: all.providerUrls, hfUrl: all.hfUrl });
 *
 * See server.ts for the routes and types.ts for every option and fault.
 */
export { startFakeSpace, DEFAULT_TIMING, QUOTA_MESSAGE } from './server';
export { startFakeSpaces, type FakeSpaces } from './multi';
export type * from './types';
