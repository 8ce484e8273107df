// WeChat's route: every call through WeChat's API with an access token, and the code through
// the signed upload host that WeChat signs for (getcodesecret once, then getuploadsignature and
// the send, for every upload).
import {
  type Cloud,
  type CreateAttempts,
  failure,
  type Got,
  type Invoked,
  type Listing,
  type Outcome,
  type PreparedCode,
  type Refusal,
  type Settings,
  type UploadSent,
} from '../cloud.js';
import { oversized, uploadBody } from '../code-limits.js';
import type { ScfClient } from './scf-client.js';
import { CONFIG_TYPE, readSettings, settingsConfig, type WeChatClient } from './wechat-client.js';

export class WeChatCloud implements Cloud {
  readonly api = 'wechat';
  readonly createCarries = false;
  readonly setsPermissions = true;
  #codeSecret: Promise<Got<string>> | undefined;
  /** Each function's type-3 configuration as last read: a write keeps what it does not set. */
  readonly #held = new Map<string, Readonly<Record<string, unknown>>>();
  /** Each function's body, built once: retries send the very same bytes. */
  readonly #bodies = new WeakMap<PreparedCode, ReturnType<typeof uploadBody>>();

  constructor(
    private readonly wechat: WeChatClient,
    private readonly scf: ScfClient,
    private readonly env: string,
  ) {}

  async connect(): Promise<Refusal | undefined> {
    const token = await this.wechat.token();
    return token.ok
      ? undefined
      : { outcome: token.outcome, from: 'an access token from cgi-bin/stable_token' };
  }

  list(): Promise<Listing> {
    return this.wechat.listFunctions(this.env);
  }

  create(name: string): Promise<CreateAttempts> {
    return this.wechat.createFunction(this.env, name);
  }

  async upload(name: string, code: PreparedCode): Promise<UploadSent> {
    const refused = (outcome: Outcome, next: 'retry' | 'fail' = 'fail'): UploadSent => ({
      kind: 'refused',
      outcome,
      next,
      url: '',
      latencyMs: 0,
    });
    this.#codeSecret ??= this.wechat.codeSecret();
    const codeSecret = await this.#codeSecret;
    if (!codeSecret.ok) return refused(codeSecret.outcome);
    let body = this.#bodies.get(code);
    if (!body) {
      body = uploadBody({
        codeSecret: codeSecret.value,
        env: this.env,
        functionName: name,
        zip: code.zip,
        installDependencies: code.installDependencies,
      });
      this.#bodies.set(code, body);
    }
    const tooLarge = oversized(body.bytes);
    if (tooLarge) return refused(tooLarge);
    // Signed right before each send: a signature is good for five minutes.
    const signature = await this.wechat.uploadSignature(name, body.sha256);
    // One attempt: the upload is retried whole, with a fresh signature.
    if (!signature.ok)
      return refused(signature.outcome, signature.outcome.retry ? 'retry' : 'fail');
    const request = this.scf.sign(signature.value);
    if ('refused' in request) {
      return refused(failure(request.refused));
    }
    return this.scf.upload(request, body);
  }

  async readPermissions(name: string): Promise<Got<string[] | null>> {
    const config = await this.wechat.functionConfig(this.env, name, CONFIG_TYPE.permissions);
    if (!config.ok || config.value === null) return config as Got<null>;
    const json = parseJson<{ permissions?: { openapi?: unknown } }>(config.value);
    const openapi = json?.permissions?.openapi;
    if (json === undefined || (openapi !== undefined && !isStrings(openapi))) {
      return unreadable(
        'getfuncconfig answered a cloud-call configuration without an openapi list',
      );
    }
    return { ok: true, value: openapi ?? [] };
  }

  async writePermissions(name: string, openapi: readonly string[]): Promise<Outcome | undefined> {
    const config = JSON.stringify({ permissions: { openapi } });
    return errorOf(
      await this.wechat.uploadFunctionConfig(this.env, name, CONFIG_TYPE.permissions, config),
    );
  }

  async readSettings(name: string): Promise<Got<Settings>> {
    const config = await this.wechat.functionConfig(this.env, name, CONFIG_TYPE.settings);
    if (!config.ok) return config;
    const held = readSettings(config.value);
    if (!held) {
      return unreadable('getfuncconfig answered an environment configuration it could not read');
    }
    this.#held.set(name, held.fields);
    return { ok: true, value: held.settings };
  }

  /** The whole type-3 configuration: what was read, with what `settings` sets. */
  async writeSettings(name: string, settings: Settings): Promise<Outcome | undefined> {
    const config = settingsConfig(this.#held.get(name) ?? {}, settings);
    return errorOf(
      await this.wechat.uploadFunctionConfig(this.env, name, CONFIG_TYPE.settings, config),
    );
  }

  async invoke(name: string, event: string): Promise<Invoked> {
    const answer = await this.wechat.invoke(this.env, name, event);
    return answer.ok ? { ok: true, response: answer.value } : answer;
  }
}

function errorOf(outcome: Outcome): Outcome | undefined {
  return outcome.errcode === 0 ? undefined : outcome;
}

function unreadable(errmsg: string): { ok: false; outcome: Outcome } {
  return { ok: false, outcome: failure(errmsg) };
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
