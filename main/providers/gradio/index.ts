/** The small Gradio client used by the providers. */
export { callApi, type CallApiRequest } from './call-api';
export { queueApi, type QueueApiRequest } from './queue-api';
export { fileUrl, type FileBase } from './files';
export { forgetSpaceConfig, getSpaceConfig } from './config';
export type { GradioEvent } from './types';
