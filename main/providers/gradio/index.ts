/** The small Gradio client used by the providers. */
export { callApi } from './call-api';
export { queueApi, type QueueApiRequest } from './queue-api';
export { fileUrl, type FileBase } from './files';
export { createSpaceConfigCache, type SpaceConfig, type SpaceConfigCache } from './config';
export type { EndpointCall, GradioEvent } from './types';
