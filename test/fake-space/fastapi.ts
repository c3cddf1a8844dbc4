/**
 * The answers FastAPI/Starlette give before or around Gradio's own code: request-body validation
 * (422, pydantic v2 error list), `HTTPException` (`{"detail": …}`) and an unhandled exception
 * (Starlette's ServerErrorMiddleware: 500 `Internal Server Error`, text/plain).
 *
 * The body models are gradio/data_classes.py PredictBody, SimplePredictBody, CancelBody and
 * ResetBody (4.44.1..6.25.0, unchanged in the fields used here). Pydantic's lax mode is ported for
 * the types they use: str (no coercion from numbers), int (integral floats and numeric strings
 * accepted), list, bool, and "anything".
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from './http-util';

type FieldType = 'str' | 'int' | 'list' | 'bool' | 'any';
interface Field {
  name: string;
  type: FieldType;
  required: boolean;
  /** `str | None` and friends: JSON null is accepted. */
  nullable?: boolean;
}

const f = (name: string, type: FieldType, required = false, nullable = !required): Field => ({
  name,
  type,
  required,
  nullable,
});

/** data_classes.py PredictBody (queue/join). */
export const PREDICT_BODY: Field[] = [
  f('session_hash', 'str'),
  f('event_id', 'str'),
  f('data', 'list', true),
  f('event_data', 'any'),
  f('fn_index', 'int'),
  f('trigger_id', 'int'),
  f('simple_format', 'bool', false, false),
  f('batched', 'bool'),
];
/** data_classes.py SimplePredictBody (POST /call/{api}). */
export const SIMPLE_PREDICT_BODY: Field[] = [f('data', 'list', true), f('session_hash', 'str')];
/** data_classes.py CancelBody: every field required. */
export const CANCEL_BODY: Field[] = [
  f('session_hash', 'str', true),
  f('fn_index', 'int', true),
  f('event_id', 'str', true),
];
/** data_classes.py ResetBody. */
export const RESET_BODY: Field[] = [f('event_id', 'str', true)];

interface ValidationError {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/** A parsed body, or the 422 detail list FastAPI answers with. */
export type Validated = { ok: true; body: Record<string, unknown> } | { ok: false; detail: ValidationError[] };

/**
 * `raw` is the request text; `parsed` its JSON (undefined when it is not JSON). FastAPI parses the
 * body as JSON only without a content-type or with application/json (or `+json`); any other type
 * leaves the bytes, which no model accepts.
 */
export function validateBody(raw: string, parsed: unknown, fields: Field[], contentType?: string): Validated {
  if (raw === '') return fail([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
  if (contentType && !/^\s*application\/([^;\s]*\+)?json\s*(;|$)/i.test(contentType)) parsed = raw;
  else if (parsed === undefined) {
    return fail([
      {
        type: 'json_invalid',
        loc: ['body', 0],
        msg: 'JSON decode error',
        input: {},
        ctx: { error: 'Expecting value' },
      },
    ]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail([
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: parsed,
      },
    ]);
  }
  const input = parsed as Record<string, unknown>;
  const out: Record<string, unknown> = { ...input };
  const errors: ValidationError[] = [];
  for (const field of fields) {
    const loc = ['body', field.name];
    if (!(field.name in input)) {
      if (field.required) errors.push({ type: 'missing', loc, msg: 'Field required', input });
      else out[field.name] = field.type === 'bool' && !field.nullable ? false : null;
      continue;
    }
    const value = input[field.name];
    if (value === null && field.nullable) continue;
    const result = coerce(field.type, value);
    if ('error' in result) errors.push({ ...result.error, loc, input: value });
    else out[field.name] = result.value;
  }
  return errors.length ? fail(errors) : { ok: true, body: out };
}

const fail = (detail: ValidationError[]): Validated => ({ ok: false, detail });

function coerce(type: FieldType, v: unknown): { value: unknown } | { error: { type: string; msg: string } } {
  switch (type) {
    case 'any':
      return { value: v };
    case 'str':
      return typeof v === 'string'
        ? { value: v }
        : { error: { type: 'string_type', msg: 'Input should be a valid string' } };
    case 'list':
      return Array.isArray(v) ? { value: v } : { error: { type: 'list_type', msg: 'Input should be a valid list' } };
    case 'bool':
      if (typeof v === 'boolean') return { value: v };
      if (v === 0 || v === 1) return { value: v === 1 };
      if (typeof v === 'string' && /^(true|false|yes|no|on|off|t|f|y|n|1|0)$/i.test(v))
        return { value: /^(true|yes|on|t|y|1)$/i.test(v) };
      return { error: { type: 'bool_parsing', msg: 'Input should be a valid boolean, unable to interpret input' } };
    case 'int':
      if (typeof v === 'boolean') return { value: v ? 1 : 0 };
      if (typeof v === 'number') {
        return Number.isInteger(v)
          ? { value: v }
          : {
              error: {
                type: 'int_from_float',
                msg: 'Input should be a valid integer, got a number with a fractional part',
              },
            };
      }
      if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return { value: Number(v) };
      if (typeof v === 'string')
        return {
          error: { type: 'int_parsing', msg: 'Input should be a valid integer, unable to parse string as an integer' },
        };
      return { error: { type: 'int_type', msg: 'Input should be a valid integer' } };
  }
}

/** A required query parameter that is missing (e.g. `queue/data` without `session_hash`). */
export function missingQuery(res: ServerResponse, name: string): void {
  sendJson(res, 422, { detail: [{ type: 'missing', loc: ['query', name], msg: 'Field required', input: null }] });
}

export function sendValidationError(res: ServerResponse, detail: ValidationError[]): void {
  sendJson(res, 422, { detail });
}

/** fastapi.HTTPException(status, detail) as FastAPI's handler answers it. */
export function sendHttpException(res: ServerResponse, status: number, detail: string): void {
  sendJson(res, status, { detail });
}

/** An exception Gradio does not catch (KeyError, FnIndexInferError): Starlette's bare 500. */
export function sendInternalError(res: ServerResponse): void {
  const text = 'Internal Server Error';
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
