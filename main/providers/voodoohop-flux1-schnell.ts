/** Voodoohop Flux-1-Schnell: a community Schnell Space. */
import { createSchnellProvider } from './schnell-layout';

export const voodoohopFlux1Schnell = createSchnellProvider({
  id: 'voodoohop-flux1-schnell',
  label: 'Voodoohop Flux-1-Schnell',
  defaultBaseUrl: 'https://voodoohop-flux-1-schnell.hf.space',
  spaceId: 'voodoohop/FLUX.1-schnell',
  aliases: ['flux-schnell', 'flux'],
});
