/**
 * Every fault, one at a time, on the queue API with ZeroGPU credentials (Flux-1-Dev, whose /config
 * names `infer`), for every Gradio version: see fault-table.ts.
 */
import { describeFaultTable } from './fault-table';

describeFaultTable('queue');
