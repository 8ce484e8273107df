import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RUNTIME,
  DEFAULTS,
  InputError,
  MAX_FUNCTIONS,
  parseFunctionNames,
  parseInputs,
} from '../../src/inputs/inputs.js';

const VALID = {
  env: 'test-777bb9',
  'function-name': 'login',
  'access-token': 'ACCESS_TOKEN_123',
};

function parse(inputs: Record<string, string>, onSecret?: (value: string) => void) {
  return parseInputs((name) => inputs[name] ?? '', { onSecret });
}

function inputError(inputs: Record<string, string>): InputError {
  try {
    parse(inputs);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseInputs', () => {
  it('applies the defaults of action.yml to empty inputs', () => {
    expect(parse(VALID)).toEqual({
      env: 'test-777bb9',
      functionNames: ['login'],
      api: 'wechat',
      because: 'access-token given',
      wechat: { kind: 'access-token', accessToken: 'ACCESS_TOKEN_123' },
      ifExists: 'skip',
      parallel: 4,
      apiBaseUrl: 'https://api.weixin.qq.com',
      maxAttempts: 5,
      retryDelayMs: 1000,
      requestTimeoutMs: 15000,
      dryRun: false,
      waitTimeoutSeconds: 60,
      tencentcloud: {
        endpoint: 'https://tcb.tencentcloudapi.com',
        region: 'ap-shanghai',
        runtime: DEFAULT_RUNTIME,
        memoryMb: 256,
      },
    });
  });

  it('trims every input and reads numbers', () => {
    const inputs = parse({
      env: '  prod-3gewtf9c10f60c76 \n',
      'function-name': ' pay ',
      'access-token': ' tok ',
      'if-exists': ' fail ',
      parallel: ' 10 ',
      'api-base-url': 'http://127.0.0.1:8080/wechat/',
      'max-attempts': '20',
      'retry-delay-ms': '0',
      'request-timeout-ms': '100',
    });
    expect(inputs).toMatchObject({
      env: 'prod-3gewtf9c10f60c76',
      functionNames: ['pay'],
      wechat: { accessToken: 'tok' },
      ifExists: 'fail',
      parallel: 10,
      apiBaseUrl: 'http://127.0.0.1:8080/wechat',
      maxAttempts: 20,
      retryDelayMs: 0,
      requestTimeoutMs: 100,
    });
  });

  it('hands the secrets over before it checks anything', () => {
    const seen: string[] = [];
    expect(() =>
      parse({ 'access-token': 'tok', 'app-secret': 'sec', env: 'BAD ENV' }, (s) => seen.push(s)),
    ).toThrow(InputError);
    expect(seen).toEqual(['tok', 'sec']);
  });

  it.each([
    ['1abc', 'starts with a digit'],
    ['a', 'one character'],
    ['abc-', 'ends with -'],
    ['abc_', 'ends with _'],
    ['a'.repeat(61), '61 characters'],
    ['log in', 'a space'],
    ['登录', 'non-ASCII'],
    ['a/../b', 'a path'],
    ['a.b', 'a dot'],
  ])('rejects the function name %j (%s)', (name) => {
    const error = inputError({ ...VALID, 'function-name': name });
    expect(error.input).toBe('function-name');
    expect(error.message).toContain('`function-name`');
  });

  it.each(['ab', 'a1', 'A_b-c9', 'a'.repeat(60)])('accepts the function name %j', (name) => {
    expect(parse({ ...VALID, 'function-name': name }).functionNames).toEqual([name]);
  });

  it.each([
    ['test 777bb9', 'a space'],
    ['test-777bb9\nprod-1', 'a newline'],
    ['Test-777bb9', 'upper case'],
    ['test_777bb9', 'an underscore'],
    ['7test', 'a leading digit'],
    [`a${'b'.repeat(64)}`, '65 characters'],
    ['test;rm', 'a semicolon'],
  ])('rejects the env %j (%s)', (env) => {
    expect(inputError({ ...VALID, env }).input).toBe('env');
  });

  it('accepts an env of 64 characters', () => {
    expect(parse({ ...VALID, env: `a${'b'.repeat(63)}` }).env).toHaveLength(64);
  });

  it.each([
    ['max-attempts', '0'],
    ['max-attempts', '21'],
    ['max-attempts', '2.5'],
    ['max-attempts', 'five'],
    ['max-attempts', '-1'],
    ['retry-delay-ms', '-5'],
    ['retry-delay-ms', '1e3'],
    ['retry-delay-ms', '30001'],
    ['request-timeout-ms', 'soon'],
    ['request-timeout-ms', '-1'],
    ['request-timeout-ms', '99'],
    ['parallel', '0'],
    ['parallel', '11'],
    ['if-exists', 'ignore'],
    ['wait-timeout-seconds', '601'],
    ['wait-timeout-seconds', '-1'],
    ['dry-run', 'yes'],
    ['dry-run', 'TRUE'],
  ])('rejects %s: %j', (input, value) => {
    const error = inputError({ ...VALID, [input]: value });
    expect(error.input).toBe(input);
    expect(error.message).toContain(`\`${input}\``);
  });

  it.each([
    ['ftp://api.weixin.qq.com', 'must be an http(s) URL'],
    ['api.weixin.qq.com', 'must be an http(s) URL'],
    ['http://api.weixin.qq.com', 'clear text'],
    ['http://10.0.0.1:8080', 'clear text'],
    ['https://user:pw@api.weixin.qq.com', 'credentials'],
    ['https://api.weixin.qq.com/?x=1', 'query'],
  ])('rejects the api-base-url %j', (url, why) => {
    const error = inputError({ ...VALID, 'api-base-url': url });
    expect(error.input).toBe('api-base-url');
    expect(error.message).toContain(why);
  });

  it.each([
    'http://127.0.0.1:1234',
    'http://localhost:1234',
    'http://[::1]:1234',
    'https://proxy.example.com/wx',
  ])('accepts the api-base-url %j', (url) => {
    expect(parse({ ...VALID, 'api-base-url': url }).apiBaseUrl).toBe(url);
  });

  describe('credentials', () => {
    const base = { env: 'test-777bb9', 'function-name': 'login' };
    const app = {
      'app-id': 'wx0123456789abcdef',
      'app-secret': '0123456789abcdef0123456789abcdef',
    };

    it('takes app-id with app-secret', () => {
      expect(parse({ ...base, ...app }).wechat).toEqual({
        kind: 'app-secret',
        appId: 'wx0123456789abcdef',
        appSecret: '0123456789abcdef0123456789abcdef',
      });
    });

    it.each([
      [{ ...app, 'access-token': 'tok' }, 'access-token', 'both'],
      [{ 'app-id': app['app-id'] }, 'app-secret', 'required with `app-id`'],
      [{ 'app-secret': app['app-secret'] }, 'app-id', 'required with `app-secret`'],
      [{}, 'access-token', 'is missing'],
      [{ ...app, 'app-id': 'wx123' }, 'app-id', 'app id'],
      [{ 'access-token': 'two words' }, 'access-token', 'spaces'],
      [{ ...app, 'app-secret': 'line\nbreak' }, 'app-secret', 'line breaks'],
    ])('rejects %j naming %s', (credentials, input, why) => {
      const error = inputError({ ...base, ...credentials });
      expect(error.input).toBe(input);
      expect(error.message).toContain(why);
    });

    it('describes a bad app-id by its shape, never quoting it: it may be the secret, swapped', () => {
      const swapped = { 'app-id': app['app-secret'], 'app-secret': app['app-id'] };
      const error = inputError({ ...base, ...swapped });
      expect(error.input).toBe('app-id');
      expect(error.message).not.toContain(app['app-secret']);
      expect(error.message).not.toContain(app['app-secret'].slice(0, 8));
      expect(error.message).toContain('a value of 32 characters, not starting with `wx`');
    });
  });

  describe('the Tencent Cloud route', () => {
    const keys = {
      ...VALID,
      'access-token': '',
      'tencentcloud-secret-id': 'AKIDexample',
      'tencentcloud-secret-key': 'example-key',
    };

    it('takes a region, and asks a memory size given of existing functions too', () => {
      const inputs = parse({ ...keys, 'tencentcloud-region': 'ap-guangzhou', 'memory-mb': '512' });
      expect(inputs.tencentcloud).toMatchObject({ region: 'ap-guangzhou', memoryMb: 512 });
      expect(inputs.settings).toEqual({ mode: 'merge', memoryMb: 512 });
      // Without one, existing functions keep theirs; a new one gets 256.
      const plain = parse(keys);
      expect(plain.settings).toBeUndefined();
      expect(plain.tencentcloud.memoryMb).toBe(256);
    });

    it.each([
      ['tencentcloud-region', 'Shanghai'],
      ['tencentcloud-region', 'ap shanghai'],
      ['memory-mb', '100'],
      ['memory-mb', 'lots'],
    ])('rejects %s: %j', (input, value) => {
      expect(inputError({ ...keys, [input]: value }).input).toBe(input);
    });
  });

  it('requires env and function-name', () => {
    expect(inputError({ ...VALID, env: ' ' }).message).toBe(
      'Input `env` is required and was not given',
    );
    expect(inputError({ ...VALID, 'function-name': '\n' }).input).toBe('function-name');
  });

  it('keeps DEFAULTS to the inputs it reads', () => {
    const read: string[] = [];
    parseInputs((name) => {
      read.push(name);
      return (VALID as Record<string, string>)[name] ?? '';
    });
    expect(read).toEqual(expect.arrayContaining(Object.keys(DEFAULTS)));
  });
});

describe('parseFunctionNames', () => {
  it('takes one name per line, trims, drops blanks and repeats, keeps order', () => {
    expect(parseFunctionNames('login\n\n  pay \r\nnotify\nlogin\n')).toEqual([
      'login',
      'pay',
      'notify',
    ]);
  });

  it(`takes at most ${MAX_FUNCTIONS} names`, () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `fn${i}`).join('\n');
    expect(parseFunctionNames(names(MAX_FUNCTIONS))).toHaveLength(MAX_FUNCTIONS);
    expect(() => parseFunctionNames(names(MAX_FUNCTIONS + 1))).toThrow(/at most 1000/);
  });

  it('names the bad line', () => {
    expect(() => parseFunctionNames('login\n1bad')).toThrow(/"1bad"/);
  });
});

describe('environment', () => {
  it('masks every value of four characters or more, before anything is checked', () => {
    const seen: string[] = [];
    expect(() =>
      parseInputs((name) => ({ environment: 'A=secret-1\nB=1\nC=true\n1BAD=x' })[name] ?? '', {
        onSecret: (value) => seen.push(value),
      }),
    ).toThrow(InputError);
    expect(seen).toEqual(['secret-1', 'true']);
  });
});

describe('the route `api: auto` takes', () => {
  const base = { env: 'test-777bb9', 'function-name': 'login' };
  const keys = { 'tencentcloud-secret-id': 'AKIDinput', 'tencentcloud-secret-key': 'key-input' };
  const variables = { TENCENTCLOUD_SECRET_ID: 'AKIDvariable', TENCENTCLOUD_SECRET_KEY: 'key-var' };
  const withEnv = (inputs: Record<string, string>, environment: Record<string, string>) =>
    parseInputs((name) => inputs[name] ?? '', { environment });

  it.each<[string, Record<string, string>, Record<string, string>, object]>([
    [
      'an access-token, whatever the variables say',
      { 'access-token': 'tok' },
      variables,
      { api: 'wechat', because: 'access-token given; the TENCENTCLOUD_* variables are not used' },
    ],
    [
      'an app secret, whatever the variables say, even half of them',
      { 'app-id': 'wx0123456789abcdef', 'app-secret': 'app-secret-value' },
      { TENCENTCLOUD_SECRET_ID: 'AKIDvariable' },
      {
        api: 'wechat',
        because: 'app-id and app-secret given; the TENCENTCLOUD_* variables are not used',
      },
    ],
    [
      'key inputs with a token: the token kept for invoke',
      { ...keys, 'access-token': 'tok' },
      variables,
      {
        api: 'tencentcloud',
        keys: { secretId: 'AKIDinput', secretKey: 'key-input' },
        wechat: { kind: 'access-token', accessToken: 'tok' },
        because: 'tencentcloud-secret-id given; access-token kept for invoke',
      },
    ],
    [
      'the variables, when the step was given no credentials',
      {},
      variables,
      {
        api: 'tencentcloud',
        keys: { secretId: 'AKIDvariable', secretKey: 'key-var' },
        because: 'keys from the TENCENTCLOUD_* variables',
      },
    ],
    [
      '`api: tencentcloud` with a token and no keys: keys exchanged',
      { api: 'tencentcloud', 'access-token': 'tok' },
      {},
      {
        api: 'tencentcloud',
        because: 'api: tencentcloud, keys exchanged for the WeChat token of access-token',
      },
    ],
  ])('%s', (_what, inputs, environment, route) => {
    const parsed = withEnv({ ...base, ...inputs }, environment);
    expect(parsed).toMatchObject(route);
    if (!('keys' in route)) expect(parsed.keys).toBeUndefined();
  });
});

describe('tencentcloud-endpoint', () => {
  const endpoint = (url: string) =>
    parse({ ...VALID, api: 'tencentcloud', 'tencentcloud-endpoint': url }).tencentcloud.endpoint;

  it.each([
    'https://tcb.tencentcloudapi.com',
    'https://TCB.TencentCloudAPI.com/',
    'https://tencentcloudapi.com',
    'https://tcb.ap-shanghai.tencentcloudapi.com',
    'http://127.0.0.1:8787',
    'https://127.0.0.2:8787',
    'http://localhost:8787',
    'http://[::1]:8787',
    'http://[0:0:0:0:0:0:0:1]:8787',
  ])('takes %j', (url) => {
    expect(() => endpoint(url)).not.toThrow();
  });

  it.each([
    ['https://tcb.tencentcloudapi.com.evil.example', 'tcb.tencentcloudapi.com.evil.example'],
    ['https://tcb.tencentcloudapi.com.', 'tcb.tencentcloudapi.com.'],
    ['https://eviltencentcloudapi.com', 'eviltencentcloudapi.com'],
    ['https://tencentcloudapi.co', 'tencentcloudapi.co'],
    ['https://evil.example\\.tencentcloudapi.com', 'evil.example'],
    ['https://tcb.tencentcloudapi.com:8443', '8443'],
    ['https://tcb.tencentcloudapi.com@evil.example', 'credentials'],
    ['https://10.0.0.1', '10.0.0.1'],
  ])('refuses %j, naming the input', (url, said) => {
    const error = inputError({ ...VALID, api: 'tencentcloud', 'tencentcloud-endpoint': url });
    expect(error.input).toBe('tencentcloud-endpoint');
    expect(error.message).toContain(said);
  });
});

describe('a URL that does not parse', () => {
  it.each([
    'https://us3r-name:p%40ss-w0rd@exa mple.com',
    'https://us3r-name:p%40ss-w0rd@[::1',
    'https://us3r-name:p%40ss-w0rd@host:99999',
    'https://us3r-name:p@ss-w0rd@ho st/',
    'https:us3r-name:p%40ss-w0rd@ho st',
  ])('%j: quoted without its user and password', (url) => {
    for (const name of ['api-base-url', 'tencentcloud-endpoint']) {
      const error = inputError({ ...VALID, [name]: url });
      expect(error.input).toBe(name);
      expect(error.message).toMatch(
        /^Input `[a-z-]+` must be an http\(s\) URL .*got "https:(\/\/)?…@/,
      );
      for (const part of ['us3r', 'p%40ss', 'p@ss', 'w0rd'])
        expect(error.message).not.toContain(part);
    }
  });
});

describe('environment lines', () => {
  const PEM = [
    '-----BEGIN PRIVATE KEY-----',
    'MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAq7BFUpkGp3+XQ==',
    'Zm9vYmFyYmF6cXV4cXV1eHF1dXpxdXV4cXV1eHF1dXhxdXV4cXV1eA==',
    '-----END PRIVATE KEY-----',
  ];
  const environment = (text: string) => inputError({ ...VALID, environment: text }) as InputError;

  it.each<[string, string, string, string[]]>([
    ['a key pasted whole', `MODE=prod\nKEY=${PEM.join('\n')}`, 'line 3 ', PEM.slice(1)],
    ['a continuation with a bad name', 'TOKEN=abc\nde-f=ghi', 'line 2 ', ['de-f', 'ghi']],
    ['a continuation with a reserved name', 'TOKEN=abc\nSCF_xyz=1', 'line 2 ', ['SCF_xyz']],
    ['a continuation that repeats a name', 'TOKEN=abc\nTOKEN=x', 'line 2 ', []],
  ])('%s: names the line, never its text', (_what, text, line, pieces) => {
    const error = environment(text);
    expect(error.input).toBe('environment');
    expect(error.message).toContain(line);
    for (const piece of pieces) expect(error.message).not.toContain(piece.slice(0, 12));
    expect(error.message).not.toMatch(/"/);
  });

  it('says a value cannot span lines, and how to pass one', () => {
    expect(environment('A=1\n-----BEGIN').message).toMatch(
      /^Input `environment` line 2 does not start with a variable name .*cannot span lines: encode .* base64/,
    );
  });
});
