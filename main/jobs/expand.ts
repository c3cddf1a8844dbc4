/** A jobs:start request → the parameters of each job (one image each). */
import type { z } from 'zod';
import type { StartJobsSchema } from '../../shared/contract';
import { LIMITS, type GenerationParams } from '../../shared/params';

export type StartJobsRequest = z.output<typeof StartJobsSchema>;

/**
 * `count` jobs per prompt (the main prompt, then each extra prompt). With a fixed seed, the images
 * of one prompt use seed, seed+1, … (as A1111 batches do): N copies of one image would be useless;
 * with a random seed each job lets the Space pick its own.
 */
export function expandRequest(req: StartJobsRequest): GenerationParams[] {
  const prompts = [req.params.prompt, ...(req.extraPrompts ?? [])];
  const out: GenerationParams[] = [];
  for (const prompt of prompts) {
    for (let i = 0; i < req.count; i++) {
      const seed = req.params.randomizeSeed ? req.params.seed : (req.params.seed + i) % (LIMITS.seed.max + 1);
      out.push({ ...req.params, prompt, seed });
    }
  }
  return out;
}
