/**
 * The fake Hugging Face Space used by provider, job-runner, e2e tests and benchmarks. It follows
 * the Gradio server's rules per version (gradio-rules.ts), never kinder. See README.md.
 *
 *   const space = await startFakeSpace({ gradioVersion: '6.25', timing: { stepMs: 5 } });
 *   space.setFault({ route: 'join', kind: 'http', status: 503 }, { times: 1 });
 *   // … point a provider's base URL (and hfUrl) at space.url …
 *   await space.close();
 *
 *   const all = await startFakeSpaces();   // one server per provider, one shared hub
 *   routeGeneration(params, { providerUrls: all.providerUrls, hfUrl: all.hfUrl });
 */
export { startFakeSpace, DEFAULT_TIMING, DEFAULT_SPACE_IDS, QUOTA_MESSAGE } from './server';
export { startFakeSpaces, PROVIDER_SPACES, type FakeSpaces } from './multi';
export { GRADIO_VERSIONS, RULES, type GradioRules } from './gradio-rules';
export { createFakeHub, SPACE_STAGES } from './hub';
export { APP_LAYOUTS, type AppLayout } from './apps';
export type * from './types';
