// The official models of Tencent Cloud's APIs, read from the SDK's declarations
// (tencentcloud-sdk-nodejs, `tencentcloud/services/SERVICE/vVERSION/SERVICE_models.d.ts`) with the
// TypeScript compiler: for an action, the fields of its request (required or not, and the model
// of a nested object) and of its answer. The stand-in accepts and answers exactly these, and
// test/clouds/contract.test.ts holds the action's calls to them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import {
  type Service,
  TENCENT_CALLS,
  type TencentCall,
  WECHAT_CALLS,
  type WeChatCall,
} from '../src/clouds/contract.js';

/** A field's type, as far as the contract needs it: a nested model, a list, or anything else. */
export type FieldType =
  | { kind: 'model'; name: string }
  | { kind: 'list'; of: FieldType }
  | { kind: 'value'; text: string };

export interface ModelField {
  name: string;
  /** Not optional (`?`) in the declaration. */
  required: boolean;
  type: FieldType;
  /** 1-based line of the field in the model file. */
  line: number;
}

/** One interface of a model file: a request, an answer, or a structure within them. */
export interface ModelStruct {
  name: string;
  line: number;
  fields: ReadonlyMap<string, ModelField>;
}

/** A model file's structures, by name. */
export interface ModelFile {
  /** The path under tencentcloud-sdk-nodejs/tencentcloud/services/. */
  path: string;
  structs: ReadonlyMap<string, ModelStruct>;
}

export interface ActionModel {
  file: ModelFile;
  request: ModelStruct;
  response: ModelStruct;
}

export type RequestProblem = {
  code: 'UnknownParameter' | 'MissingParameter' | 'InvalidParameter' | 'InvalidAction';
  message: string;
};

const SERVICES = join(
  dirname(createRequire(import.meta.url).resolve('tencentcloud-sdk-nodejs/package.json')),
  'tencentcloud',
  'services',
);

const files = new Map<string, ModelFile>();

/** The model file at `path` (under the SDK's `services/`), read once. */
export function modelFile(path: string): ModelFile {
  let file = files.get(path);
  if (!file) {
    file = { path, structs: parse(readFileSync(join(SERVICES, path), 'utf8')) };
    files.set(path, file);
  }
  return file;
}

/** Every Tencent Cloud call of src/clouds/contract.ts, on either route, with a name for the reader. */
export function tencentCalls(): [string, TencentCall][] {
  return [
    ...Object.entries<TencentCall>(TENCENT_CALLS).map(([name, call]): [string, TencentCall] => [
      `api: tencentcloud ${name}`,
      call,
    ]),
    ...Object.entries<WeChatCall>(WECHAT_CALLS).flatMap(([name, call]): [string, TencentCall][] =>
      call.signed ? [[`api: wechat ${name}`, call.signed]] : [],
    ),
  ];
}

/** Where the SDK keeps a service's models: `tcb/v20180608/tcb_models.d.ts`. */
export function modelPath(service: Service, version: string): string {
  return `${service}/v${version.replaceAll('-', '')}/${service}_models.d.ts`;
}

/** The action's request and answer; undefined when the model has no such action. */
export function modelOf(
  service: Service,
  version: string,
  action: string,
): ActionModel | undefined {
  let file: ModelFile;
  try {
    file = modelFile(modelPath(service, version));
  } catch {
    return undefined;
  }
  const request = file.structs.get(`${action}Request`);
  const response = file.structs.get(`${action}Response`);
  return request && response ? { file, request, response } : undefined;
}

/**
 * What Tencent Cloud would refuse in `body` before carrying it out, by the model alone: an action
 * the model lacks, a field it lacks, a value of another type than it declares (both at any depth
 * a model describes), or a required field left out. Undefined when the model takes the request.
 */
export function requestProblem(
  service: Service,
  version: string,
  action: string,
  body: Record<string, unknown>,
): RequestProblem | undefined {
  const model = modelOf(service, version, action);
  if (!model) {
    // Ours: the common error table says only "the API does not exist" (接口不存在).
    return {
      code: 'InvalidAction',
      message: `The action \`${action}\` does not exist in version ${version} of ${service}.`,
    };
  }
  return objectProblem(model.file, model.request, body, '');
}

function objectProblem(
  file: ModelFile,
  struct: ModelStruct,
  value: Record<string, unknown>,
  prefix: string,
): RequestProblem | undefined {
  for (const [name, field] of Object.entries(value)) {
    const known = struct.fields.get(name);
    if (!known) {
      // Tencent Cloud's wording, e.g. "The parameter `$schema` is not recognized." (DNSPod, in
      // NewFuture/DDNS#575). Nested names joined with dots and list indexes are ours.
      return {
        code: 'UnknownParameter',
        message: `The parameter \`${prefix}${name}\` is not recognized.`,
      };
    }
    const problem = valueProblem(file, known.type, field, `${prefix}${name}`);
    if (problem) return problem;
  }
  for (const field of struct.fields.values()) {
    if (field.required && value[field.name] === undefined) {
      // Tencent Cloud's wording, e.g. "The request is missing a required parameter `Action`."
      // (cloud.tencent.com/developer/ask/230532; tencentcloud-sdk-nodejs#99).
      return {
        code: 'MissingParameter',
        message: `The request is missing a required parameter \`${prefix}${field.name}\`.`,
      };
    }
  }
  return undefined;
}

function valueProblem(
  file: ModelFile,
  type: FieldType,
  value: unknown,
  path: string,
): RequestProblem | undefined {
  if (!isOfType(type, value)) {
    // Tencent Cloud's wording, e.g. "The value type of parameter `PhoneNumberSet` is not valid."
    // (tencentyun/qcloud-documents#4225); its Chinese answers name a list's item `InstanceIds.0`.
    return {
      code: 'InvalidParameter',
      message: `The value type of parameter \`${path}\` is not valid.`,
    };
  }
  if (type.kind === 'list' && Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = valueProblem(file, type.of, item, `${path}.${i}`);
      if (problem) return problem;
    }
  }
  const nested = type.kind === 'model' ? file.structs.get(type.name) : undefined;
  if (nested && isObject(value)) return objectProblem(file, nested, value, `${path}.`);
  return undefined;
}

/** The JSON type of each plain type the models declare; `bigint` is sent as a number. */
const JSON_TYPES = new Map([
  ['string', 'string'],
  ['number', 'number'],
  ['bigint', 'number'],
  ['boolean', 'boolean'],
]);

/** Whether `value` is of the declared type; a value of a type outside JSON_TYPES is taken. */
function isOfType(type: FieldType, value: unknown): boolean {
  if (type.kind === 'list') return Array.isArray(value);
  if (type.kind === 'model') return isObject(value);
  const types = type.text.split('|').map((part) => JSON_TYPES.get(part.trim()));
  return types.includes(undefined) || types.includes(typeof value);
}

/** `answer` with only the fields the action's answer model has, at every depth it describes. */
export function keepModelled(
  service: Service,
  version: string,
  action: string,
  answer: Record<string, unknown>,
): Record<string, unknown> {
  const model = modelOf(service, version, action);
  if (!model) throw new Error(`No model for ${service} ${version} ${action}`);
  return keepObject(model.file, model.response, answer);
}

function keepObject(
  file: ModelFile,
  struct: ModelStruct,
  value: Record<string, unknown>,
): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    const known = struct.fields.get(name);
    if (known) kept[name] = keepValue(file, known.type, field);
  }
  return kept;
}

function keepValue(file: ModelFile, type: FieldType, value: unknown): unknown {
  if (type.kind === 'list' && Array.isArray(value)) {
    return value.map((item) => keepValue(file, type.of, item));
  }
  const nested = type.kind === 'model' ? file.structs.get(type.name) : undefined;
  return nested && isObject(value) ? keepObject(file, nested, value) : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every interface of a declaration file, and every `type X = null` (an action that takes no
 * fields) as an empty one.
 */
function parse(text: string): Map<string, ModelStruct> {
  const source = ts.createSourceFile('models.d.ts', text, ts.ScriptTarget.Latest, false);
  const lineOf = (node: ts.Node) =>
    source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const structs = new Map<string, ModelStruct>();
  for (const statement of source.statements) {
    if (ts.isTypeAliasDeclaration(statement)) {
      const name = statement.name.text;
      structs.set(name, { name, line: lineOf(statement), fields: new Map() });
    }
    if (!ts.isInterfaceDeclaration(statement)) continue;
    const fields = new Map<string, ModelField>();
    for (const member of statement.members) {
      if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name)) continue;
      const name = member.name.text;
      fields.set(name, {
        name,
        required: member.questionToken === undefined,
        type: typeOf(member.type, source),
        line: lineOf(member),
      });
    }
    const name = statement.name.text;
    structs.set(name, { name, line: lineOf(statement), fields });
  }
  // A reference to a name that is not a structure of the file is a plain value.
  const resolve = (type: FieldType): FieldType =>
    type.kind === 'list'
      ? { kind: 'list', of: resolve(type.of) }
      : type.kind === 'model' && !structs.get(type.name)?.fields.size
        ? { kind: 'value', text: type.name }
        : type;
  for (const struct of structs.values()) {
    for (const field of struct.fields.values()) field.type = resolve(field.type);
  }
  return structs;
}

function typeOf(node: ts.TypeNode | undefined, source: ts.SourceFile): FieldType {
  if (node && ts.isArrayTypeNode(node))
    return { kind: 'list', of: typeOf(node.elementType, source) };
  if (node && ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
    const name = node.typeName.text;
    const [item] = node.typeArguments ?? [];
    if (name === 'Array' && item) return { kind: 'list', of: typeOf(item, source) };
    return { kind: 'model', name };
  }
  return { kind: 'value', text: node?.getText(source) ?? 'any' };
}
