/**
 * What differs between the Gradio versions the fake Space can play, as a table of behaviour. Each
 * rule names the upstream function it is ported from and the first release that behaves so (checked
 * tag by tag in gradio-app/gradio); the fake never invents a rule kinder than these.
 */

export type GradioVersion = '4.44' | '5.49' | '6.17' | '6.25';
export const GRADIO_VERSIONS: readonly GradioVersion[] = ['4.44', '5.49', '6.17', '6.25'];
export const DEFAULT_GRADIO_VERSION: GradioVersion = '5.49';

export interface GradioRules {
  /** blocks.py get_config_file → `version` (routes.VERSION / gradio.__version__). */
  release: string;
  /** route_utils.API_PREFIX: routes moved under `/gradio_api` in 5.0; config announces `api_prefix`. */
  apiPrefix: '' | '/gradio_api';
  /**
   * components/slider.py Slider.preprocess → Number.raise_if_out_of_bounds (5.39.0+): a value
   * outside [minimum, maximum] raises gr.Error inside the job. Step is never checked.
   */
  sliderBounds: boolean;
  /**
   * routes.py simple_predict_get: which session `GET /call/{api}/{event_id}` streams.
   * 'event-id': queue_data_helper(request, event_id, …) (4.x..6.17), so a job POSTed with a
   * client hash is not found. 'event-session': event_ids_to_events[event_id].session_hash, else
   * the session whose pending ids hold it, else the event id (6.18+; the fallback is 6.25+).
   */
  callGetSession: 'event-id' | 'event-session';
  /**
   * routes.py simple_predict_get process_msg: `data` of a failed process_completed/generating.
   * 'null': msg["output"].get("data") (≤ 6.12); 'output': the error dict itself (6.13+).
   */
  callErrorData: 'null' | 'output';
  /**
   * routes.py queue_data_helper: the HTTPException raised for an unknown session, as str(e).
   * `HTTPException(404, detail="Session not found.")` up to 5.37; `HTTPException(404)` (detail
   * = "Not Found") from 5.38, which also sets UnexpectedErrorMessage.session_not_found.
   */
  sessionNotFoundText: string;
  /** server_messages.py UnexpectedErrorMessage.session_not_found (5.38+). */
  sessionNotFoundFlag: boolean;
  /** server_messages.py LogMessage.title (5.2+; helpers.Info/Warning default titles). */
  logTitle: boolean;
  /** server_messages.py ProcessCompletedMessage.title (5.43+; queueing.py sets "Error" on failure). */
  completedTitle: boolean;
  /** server_messages.py ProcessCompletedMessage used_cache/cache_duration/avg_time (6.12+). */
  completedCacheFields: boolean;
  /** blocks.py process_api output dict has `used_cache` (6.12+). */
  outputUsedCache: boolean;
  /** server_messages.py ProcessGeneratingMessage.time_limit (5.0+). */
  generatingTimeLimit: boolean;
  /**
   * utils.py error_payload for a gr.Error: 'repr' (4.x: content["error"] = str(error), and
   * exceptions.py Error.__str__ is repr(message), so the text arrives in Python quotes; no title);
   * 'message' (5.2+: error.message, duration, visible, title).
   */
  appError: 'repr' | 'message';
  /** routes.py cancel_event → queue.remove_from_queue(event_id): a queued job is dropped (6.14+). */
  cancelRemovesQueued: boolean;
  /**
   * routes.py queue_data_helper: delivering a process_completed whose id is no longer pending.
   * false (4.x): `pending_event_ids_session[s].remove(id)` raises KeyError → unexpected_error
   * "'<id>'" and the connection drops; true (5.46+): guarded.
   */
  pendingRemovalGuarded: boolean;
  /** queueing.py clean_events also drops the removed ids from pending_event_ids_session (6.12+). */
  cleanDropsPending: boolean;
  /**
   * routes.py queue_data_helper heartbeats every 15 s (utils.get_heartbeat_rate, 6.16+, same
   * default). 'stream-loop': produced by the stream's own loop (≤ 6.10); 'session-queue': a task
   * puts HeartbeatMessage into the session's message queue (6.11+).
   */
  heartbeat: 'stream-loop' | 'session-queue';
  /**
   * routes.py queue_data_helper: how the loop waits for a message. 'poll' (≤ 6.10): get_nowait
   * every 0.05 s; 'wait' (6.11+): asyncio.wait_for(messages.get(), timeout=10).
   */
  streamWait: 'poll' | 'wait';
  /** block_function.py BlockFunction.get_config: `show_api` (≤ 5.x) or `api_visibility` (6.0+). */
  depVisibility: 'show_api' | 'api_visibility';
}

const V4: GradioRules = {
  release: '4.44.1',
  apiPrefix: '',
  sliderBounds: false,
  callGetSession: 'event-id',
  callErrorData: 'null',
  sessionNotFoundText: '404: Session not found.',
  sessionNotFoundFlag: false,
  logTitle: false,
  completedTitle: false,
  completedCacheFields: false,
  outputUsedCache: false,
  generatingTimeLimit: false,
  appError: 'repr',
  cancelRemovesQueued: false,
  pendingRemovalGuarded: false,
  cleanDropsPending: false,
  heartbeat: 'stream-loop',
  streamWait: 'poll',
  depVisibility: 'show_api',
};

const V5: GradioRules = {
  ...V4,
  release: '5.49.1',
  apiPrefix: '/gradio_api',
  sliderBounds: true,
  sessionNotFoundText: '404: Not Found',
  sessionNotFoundFlag: true,
  logTitle: true,
  completedTitle: true,
  generatingTimeLimit: true,
  appError: 'message',
  pendingRemovalGuarded: true,
};

const V617: GradioRules = {
  ...V5,
  release: '6.17.0',
  callErrorData: 'output',
  completedCacheFields: true,
  outputUsedCache: true,
  cancelRemovesQueued: true,
  cleanDropsPending: true,
  heartbeat: 'session-queue',
  streamWait: 'wait',
  depVisibility: 'api_visibility',
};

const V625: GradioRules = { ...V617, release: '6.25.0', callGetSession: 'event-session' };

export const RULES: Readonly<Record<GradioVersion, GradioRules>> = {
  '4.44': V4,
  '5.49': V5,
  '6.17': V617,
  '6.25': V625,
};

/** routes.py queue_data_helper: `heartbeat_rate = 15` (utils.get_heartbeat_rate default, 6.16+). */
export const UPSTREAM_HEARTBEAT_MS = 15_000;
/** routes.py queue_data_helper (≤ 6.10): `check_rate = 0.05` between polls of the message queue. */
export const POLL_MS = 50;
/** routes.py queue_data_helper (6.11+): `asyncio.wait_for(messages.get(), timeout=10)`. */
export const WAIT_TIMEOUT_MS = 10_000;
/** routes.py queue_data_helper: the message sent while the queue is stopped. */
export const SERVER_STOPPED = 'Server stopped unexpectedly.';
