/**
 * fast-check arbitraries of valid values, derived from the contract's zod 4 schemas by walking
 * their public `def`. Small on purpose: it knows the schema types the contract uses and throws on
 * any other, so a new kind of schema fails the fuzz loudly instead of going untested. `hint` lets a
 * test choose the values at a path (refined strings it cannot invert, ids that exist, folders).
 */
import fc from 'fast-check';
import type { z } from 'zod';

interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  value?: number;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
}
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  checks?: { _zod: { def: CheckDef } }[];
  format?: string;
  pattern?: RegExp;
  partial?: boolean;
}

/** Called at every node with its path and zod type (`string`, `nullable`, …); undefined: walk on. */
export type Hint = (path: readonly string[], type: string) => fc.Arbitrary<unknown> | undefined;

const defOf = (s: z.ZodType): Def => s.def as unknown as Def;
const checksOf = (d: Def): CheckDef[] => (d.checks ?? []).map((c) => c._zod.def);
/** Generated strings stay short: length limits are tested by the garbage, not by valid values. */
const MAX_GENERATED = 64;

export function validArbitrary(
  schema: z.ZodType,
  hint: Hint = () => undefined,
  path: string[] = [],
): fc.Arbitrary<unknown> {
  const d = defOf(schema);
  const own = hint(path, d.type);
  if (own) return own;
  const checks = checksOf(d);
  const bound = (name: 'min_length' | 'max_length') =>
    checks.find((c) => c.check === name)?.[name === 'min_length' ? 'minimum' : 'maximum'];
  switch (d.type) {
    case 'optional':
    case 'default':
      return fc.option(validArbitrary(d.innerType!, hint, path), { nil: undefined });
    case 'nullable':
      return fc.option(validArbitrary(d.innerType!, hint, path), { nil: null });
    case 'object': {
      const shape = d.shape!;
      const keys = Object.keys(shape);
      // An optional key is left out rather than set to undefined (what a transport sends).
      const unwrap = (s: z.ZodType) => (['optional', 'default'].includes(defOf(s).type) ? defOf(s).innerType! : s);
      const arbs = Object.fromEntries(keys.map((k) => [k, validArbitrary(unwrap(shape[k]!), hint, [...path, k])]));
      const requiredKeys = keys.filter((k) => !['optional', 'default'].includes(defOf(shape[k]!).type));
      return fc.record(arbs, { requiredKeys });
    }
    case 'string': {
      const format = d.format ?? checks.find((c) => c.check === 'string_format')?.format;
      const pattern = d.pattern ?? checks.find((c) => c.check === 'string_format')?.pattern;
      if (format === 'datetime' || format === 'date') {
        const dates = fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true });
        return dates.map((x) => (format === 'date' ? x.toISOString().slice(0, 10) : x.toISOString()));
      }
      if (checks.some((c) => c.check === 'custom')) {
        throw new Error(`${path.join('.') || 'value'}: a refined string needs a hint (its rule is code)`);
      }
      if (format === 'regex' && pattern) return fc.stringMatching(pattern);
      if (format) throw new Error(`${path.join('.')}: no arbitrary for string format "${format}"`);
      const min = bound('min_length') ?? 0;
      const max = bound('max_length') ?? Infinity;
      const trims = checks.some((c) => c.check === 'overwrite');
      return fc
        .string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, MAX_GENERATED) })
        .filter((s) => s.length <= max && (trims ? s.trim() : s).length >= min);
    }
    case 'number': {
      const lo = checks.find((c) => c.check === 'greater_than');
      const hi = checks.find((c) => c.check === 'less_than');
      const isInt = checks.some((c) => c.check === 'number_format' && /int/.test(c.format ?? ''));
      if (isInt) {
        const min = lo ? lo.value! + (lo.inclusive ? 0 : 1) : Number.MIN_SAFE_INTEGER;
        const max = hi ? hi.value! - (hi.inclusive ? 0 : 1) : Number.MAX_SAFE_INTEGER;
        return fc.integer({ min, max });
      }
      return fc.double({
        min: lo?.value ?? -Number.MAX_VALUE,
        max: hi?.value ?? Number.MAX_VALUE,
        minExcluded: lo ? !lo.inclusive : false,
        maxExcluded: hi ? !hi.inclusive : false,
        noNaN: true,
        noDefaultInfinity: true,
      });
    }
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries!));
    case 'literal':
      return fc.constantFrom(...d.values!);
    case 'array':
      return fc.array(validArbitrary(d.element!, hint, [...path, '[]']), {
        minLength: bound('min_length') ?? 0,
        maxLength: Math.min(bound('max_length') ?? 4, 4),
      });
    case 'record': {
      const keys = defOf(d.keyType!).entries;
      if (!keys) throw new Error(`${path.join('.')}: only records keyed by an enum are supported`);
      const arbs = Object.fromEntries(
        Object.values(keys).map((k) => [k, validArbitrary(d.valueType!, hint, [...path, String(k)])]),
      );
      return fc.record(arbs, d.partial ? { requiredKeys: [] } : {});
    }
    case 'union':
      return fc.oneof(...d.options!.map((o) => validArbitrary(o, hint, path)));
    default:
      throw new Error(`${path.join('.') || 'value'}: no arbitrary for zod type "${d.type}"`);
  }
}
