/** Every fault, one at a time, on the call API (the Flux-1-Schnell Spaces): see fault-table.ts. */
import { describeFaultTable } from './fault-table';

describeFaultTable('voodoohop-flux1-schnell');
