// Every request is checked against the contract before a service sees it (issue 11): the JSON Schema that
// `npm run contract:schema` makes from preload/contract's types and their JSDoc bounds, compiled once per channel
// with ajv. A request of the wrong shape gets one sentence naming the call and the field, never a JavaScript
// internal from deep inside a service. Services keep their checks of meaning ("study not found", "round has 12 pairs").
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Channel } from '../../preload/contract';
import schema from '../../preload/contract.schema.json';

type Schema = { [keyword: string]: unknown };

const ajv = new Ajv({
  strict: true,
  allErrors: false, // the first problem is the one named; the rest are not computed
  coerceTypes: false,
  useDefaults: false,
  // maxLength counts UTF-16 units (JavaScript's .length): counting code points walks every character of an upload,
  // ~3 s for a 400 MB base64 body. ajv marks the option deprecated but keeps it; its one warning is left out below.
  unicode: false,
  logger: {
    log: console.log,
    warn: (...args: unknown[]) => { if (!String(args[0]).startsWith('DEPRECATED: option unicode')) console.warn(...args); },
    error: console.error,
  },
  // Errors carry the value and the schema that refused it, for the sentence.
  verbose: true,
});

const definitions = schema.definitions as Record<string, Schema>;
// The schema's root is the whole contract, replies included; compiling it took seconds. Without its root the
// schema is a bag of definitions, and each channel compiles its request and what that names, on its first call.
ajv.addSchema({ definitions }, 'contract');
const compiled = new Map<string, ValidateFunction>();

function validatorOf(channel: Channel): ValidateFunction {
  let validate = compiled.get(channel);
  if (!validate) {
    validate = ajv.getSchema(`contract#/definitions/Contract/properties/${channel}/properties/req`);
    if (!validate) throw new Error(`The contract's schema has no request for "${channel}": run npm run contract:schema.`);
    compiled.set(channel, validate);
  }
  return validate;
}

/** Why `req` is not a request of `channel`, in one sentence; null when it is one. */
export function requestProblem(channel: Channel, req: unknown): string | null {
  const validate = validatorOf(channel);
  if (validate(req)) return null;
  const errors = validate.errors ?? [];
  // A union's branches report first and the union last: the union's error says what was allowed.
  const error = errors.find((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf') ?? errors[0];
  return `${channel}: ${describe(error)}.`;
}

function fieldPath(instancePath: string, last?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (last !== undefined) parts.push(last);
  if (parts.length === 0) return 'the request';
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text', number: 'a number', integer: 'a whole number', boolean: 'true or false', object: 'an object',
  array: 'a list', null: 'null',
};

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return 'a number';
  return typeof value === 'object' ? 'an object' : String(typeof value);
}

function shown(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function resolve(s: Schema): Schema {
  const ref = s.$ref;
  if (typeof ref !== 'string') return s;
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  return resolve(definitions[name] ?? {});
}

/** What a schema allows, in words: 'a number', '"auto"', 'null'. */
function allowed(raw: Schema): string {
  const s = resolve(raw);
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(', ');
  if (Array.isArray(s.anyOf)) return (s.anyOf as Schema[]).map(allowed).join(' or ');
  const types = Array.isArray(s.type) ? s.type : [s.type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const path = fieldPath(e.instancePath);
  const value = e.data;
  switch (e.keyword) {
    case 'required':
      return `${fieldPath(e.instancePath, String(p.missingProperty))} is missing`;
    case 'additionalProperties':
      return `${fieldPath(e.instancePath, String(p.additionalProperty))} is not part of this call`;
    case 'not': // Record<string, never>: no field at all is part of the call
      return `${path} is not part of this call`;
    case 'type': {
      const expected = String(p.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      return typeof value === 'number' && p.type === 'integer'
        ? `${path} must be a whole number (got ${shown(value)})`
        : `${path} must be ${expected}, not ${kindOf(value)}`;
    }
    case 'minimum':
      return `${path} must be at least ${p.limit} (got ${shown(value)})`;
    case 'maximum':
      return `${path} must be at most ${p.limit} (got ${shown(value)})`;
    case 'exclusiveMinimum':
      return `${path} must be more than ${p.limit} (got ${shown(value)})`;
    case 'exclusiveMaximum':
      return `${path} must be less than ${p.limit} (got ${shown(value)})`;
    case 'maxLength':
      return `${path} must be at most ${p.limit} characters long (got ${(value as string).length})`;
    case 'minLength':
      return `${path} must be at least ${p.limit} characters long (got ${(value as string).length})`;
    case 'maxItems':
      return `${path} must have at most ${p.limit} entries (got ${(value as unknown[]).length})`;
    case 'minItems':
      return `${path} must have at least ${p.limit} entries (got ${(value as unknown[]).length})`;
    case 'enum':
      return `${path} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${shown(value)})`;
    case 'const':
      return `${path} must be ${JSON.stringify(p.allowedValue)} (got ${shown(value)})`;
    case 'pattern': {
      // The field's own description says what form it takes, e.g. "A file extension: lower-case letters and digits, at most 8."
      const description = typeof e.parentSchema?.description === 'string' ? e.parentSchema.description.replace(/\.$/, '') : null;
      return description
        ? `${path} must be ${description[0].toLowerCase()}${description.slice(1)} (got ${shown(value)})`
        : `${path} must match ${p.pattern} (got ${shown(value)})`;
    }
    case 'anyOf':
    case 'oneOf':
      return `${path} must be ${allowed(e.parentSchema as Schema)} (got ${shown(value)})`;
    default:
      return `${path} ${e.message ?? 'is not valid'}`;
  }
}
