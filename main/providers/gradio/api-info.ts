/**
 * `GET {prefix}/info`: Gradio's API description (routes.py `api_info` → blocks.py `get_api_info`),
 * read for the parameters' Python names. Per endpoint (`named_endpoints["/infer"]`), `parameters`
 * lists the inputs in order **without** the `skip_api` ones (State), each with `label`,
 * `parameter_name`, `parameter_has_default`, `parameter_default`, `component` (capitalised block
 * name), `python_type`; `returns` the outputs likewise. `?all_endpoints=true` adds the endpoints
 * hidden from the docs (`show_api=False` up to 5.x, `api_visibility="undocumented"` in 6.x), never
 * the private ones (`api_name=False`). `unnamed_endpoints` has been empty since 4.0.
 */
import { AppError } from '../../../shared/errors';
import { requestJson, type HttpOptions } from './http';

export interface ApiParameter {
  label: string | null;
  /** The Python function's parameter name (`param_<i>` when Gradio cannot tell). */
  name: string | null;
  hasDefault: boolean;
  default: unknown;
  /** Capitalised block name: `Textbox`, `Slider`, … */
  component: string | null;
  pythonType: string | null;
}

export interface ApiEndpointInfo {
  parameters: ApiParameter[];
  returns: { label: string | null; component: string | null }[];
}

/** Endpoints by api name, without the leading slash. */
export type ApiInfo = Map<string, ApiEndpointInfo>;

const rec = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function parseApiInfo(raw: unknown): ApiInfo {
  const out: ApiInfo = new Map();
  for (const [name, ep] of Object.entries(rec(rec(raw).named_endpoints))) {
    const e = rec(ep);
    const parameters = (Array.isArray(e.parameters) ? e.parameters : []).map((p: unknown): ApiParameter => {
      const o = rec(p);
      return {
        label: str(o.label),
        name: str(o.parameter_name),
        hasDefault: o.parameter_has_default === true,
        default: o.parameter_default,
        component: str(o.component),
        pythonType: str(rec(o.python_type).type),
      };
    });
    const returns = (Array.isArray(e.returns) ? e.returns : []).map((r: unknown) => {
      const o = rec(r);
      return { label: str(o.label), component: str(o.component) };
    });
    out.set(name.replace(/^\//, ''), { parameters, returns });
  }
  return out;
}

/**
 * The Space's API description, hidden endpoints included; null when it cannot be had (an old or
 * locked-down app: the inputs are then known by their /config labels only). A cancel still throws.
 */
export async function readApiInfo(
  base: string,
  apiPrefix: string,
  http: HttpOptions,
  headers: Record<string, string> = {},
): Promise<ApiInfo | null> {
  for (const query of ['?all_endpoints=true', '']) {
    try {
      const res = await requestJson(
        `${base}${apiPrefix}/info${query}`,
        { expected: 'the API description', maxBytes: 16 * 1024 * 1024, headers },
        http,
        'The Space',
      );
      return parseApiInfo(res.data);
    } catch (err) {
      if (http.signal.aborted) throw err;
      if (err instanceof AppError && (err.code === 'cancelled' || err.code === 'timeout')) return null;
    }
  }
  return null;
}
