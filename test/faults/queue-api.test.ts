/** Every fault, one at a time, on the queue API with ZeroGPU credentials (Flux-1-Dev): see fault-table.ts. */
import { describeFaultTable } from './fault-table';

describeFaultTable('bfl-flux1-dev');
