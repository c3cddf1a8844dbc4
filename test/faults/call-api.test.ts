/**
 * Every fault, one at a time, on the call API (a Flux-1-Schnell Space without /config, so the
 * call API is the only way in), for every Gradio version: see fault-table.ts.
 */
import { describeFaultTable } from './fault-table';

describeFaultTable('call');
