/** BlackForestLabs Flux-1-Schnell: the official Schnell Space. */
import { createSchnellProvider } from './schnell-layout';

export const bflFlux1Schnell = createSchnellProvider({
  id: 'bfl-flux1-schnell',
  label: 'BlackForestLabs Flux-1-Schnell',
  defaultBaseUrl: 'https://black-forest-labs-flux-1-schnell.hf.space',
  spaceId: 'black-forest-labs/FLUX.1-schnell',
  aliases: ['flux-schnell', 'flux'],
});
