/** Voodoohop Flux-1-Schnell: a community Schnell Space (call API). */
import { createCallApiProvider } from './call-provider';

export const voodoohopFlux1Schnell = createCallApiProvider({
  id: 'voodoohop-flux1-schnell',
  label: 'Voodoohop Flux-1-Schnell',
  defaultBaseUrl: 'https://voodoohop-flux-1-schnell.hf.space',
  aliases: ['flux-schnell', 'flux'],
});
