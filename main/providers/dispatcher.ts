/**
 * The undici dispatcher for a proxy setting: one ProxyAgent per proxy URL, reused across jobs. Each
 * core (and each CLI run) owns its own set, so one core's dispose never closes another's agent.
 */
import { ProxyAgent, type Dispatcher } from 'undici';
import { AppError } from '../../shared/errors';

export interface ProxyDispatchers {
  /** undefined (undici's global dispatcher) without a proxy. */
  forProxy(proxy: string | null | undefined): Dispatcher | undefined;
  close(): Promise<void>;
}

export function createProxyDispatchers(): ProxyDispatchers {
  let current: { url: string; agent: ProxyAgent } | null = null;
  return {
    forProxy(proxy) {
      if (!proxy) return undefined;
      if (current?.url === proxy) return current.agent;
      let url: URL;
      try {
        url = new URL(proxy);
      } catch {
        throw new AppError('invalid-argument', 'The proxy must be an http(s) URL.');
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new AppError('invalid-argument', 'The proxy must be an http(s) URL.');
      }
      const previous = current;
      current = { url: proxy, agent: new ProxyAgent(proxy) };
      // Jobs still using the old proxy finish their requests; then it goes away.
      void previous?.agent.close().catch(() => {});
      return current.agent;
    },
    async close() {
      const c = current;
      current = null;
      await c?.agent.close().catch(() => {});
    },
  };
}
