/** BlackForestLabs Flux-1-Schnell: the official Schnell Space (call API). */
import { createCallApiProvider } from './call-provider';

export const bflFlux1Schnell = createCallApiProvider({
  id: 'bfl-flux1-schnell',
  label: 'BlackForestLabs Flux-1-Schnell',
  defaultBaseUrl: 'https://black-forest-labs-flux-1-schnell.hf.space',
  aliases: ['flux-schnell', 'flux'],
});
