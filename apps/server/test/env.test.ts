import { describe, expect, it } from 'vitest';
import { EnvError, readEnv } from '../src/env.ts';

describe('environment', () => {
  it('has working defaults', () => {
    expect(readEnv({})).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATABASE_PATH: './data/tessera.db',
      TRUSTED_ORIGINS: [],
      TRUST_PROXY: false,
    });
  });

  it('parses lists and flags', () => {
    const env = readEnv({
      TRUSTED_ORIGINS: 'https://a.example, https://b.example',
      TRUST_PROXY: 'true',
      PORT: '8080',
    });
    expect(env).toMatchObject({
      TRUSTED_ORIGINS: ['https://a.example', 'https://b.example'],
      TRUST_PROXY: true,
      PORT: 8080,
    });
  });

  it('names every bad variable and its value in one message', () => {
    let message = '';
    try {
      readEnv({ PORT: 'eighty', NODE_ENV: 'prod', PUBLIC_URL: 'ftp://x' });
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      message = (error as Error).message;
    }
    expect(message).toContain('PORT="eighty"');
    expect(message).toContain('NODE_ENV="prod"');
    expect(message).toContain('PUBLIC_URL="ftp://x"');
  });
});
