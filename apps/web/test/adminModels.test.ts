import { describe, expect, it } from 'vitest';
import { resolveServerField } from '../src/components/forms/useServerErrors.ts';
import {
  DEMO_PROVIDER_VALUE,
  describeProvider,
  MODEL_ID_PATTERN,
  MODEL_SERVER_FIELDS,
  modelFieldsFromForm,
  modelsPerProvider,
  modelToForm,
  NEW_MODEL,
  PROVIDER_SERVER_FIELDS,
  providerFieldsFromForm,
  providerFromSelect,
  providerToForm,
  providerToSelect,
} from '../src/lib/adminModels.ts';

const PROVIDERS = [
  { id: 'p1', name: 'OpenRouter', active: true },
  { id: 'p2', name: 'Old', active: false },
];

describe('provider choice', () => {
  it('maps null (built-in demo) to a select value and back', () => {
    expect(providerToSelect(null)).toBe(DEMO_PROVIDER_VALUE);
    expect(providerFromSelect(DEMO_PROVIDER_VALUE)).toBeNull();
    expect(providerFromSelect(undefined)).toBeNull();
    expect(providerToSelect('openai')).toBe('openai');
    expect(providerFromSelect('openai')).toBe('openai');
    expect(providerFromSelect('p1')).toBe('p1');
  });

  it('says what serves a model', () => {
    expect(describeProvider(null, PROVIDERS).kind).toBe('demo');
    expect(describeProvider('openai', PROVIDERS).kind).toBe('env');
    expect(describeProvider('p2', PROVIDERS)).toEqual({ kind: 'custom', provider: PROVIDERS[1] });
    expect(describeProvider('gone', PROVIDERS)).toEqual({ kind: 'missing', provider: null });
  });

  it('counts the models per provider', () => {
    const counts = modelsPerProvider([
      { providerId: null },
      { providerId: 'p1' },
      { providerId: 'p1' },
      { providerId: 'openai' },
    ]);
    expect(counts.get('p1')).toBe(2);
    expect(counts.get(DEMO_PROVIDER_VALUE)).toBe(1);
    expect(counts.get('p2')).toBeUndefined();
  });
});

describe('model form', () => {
  it('round-trips a model and trims what was typed', () => {
    const row = {
      id: 'gpt-4o-mini',
      displayName: 'GPT-4o mini',
      inputPricePerMillion: 150,
      outputPricePerMillion: 600,
      providerId: 'p1',
      upstreamModel: 'openai/gpt-4o-mini',
      vision: true,
      active: true,
    };
    const values = modelToForm(row);
    expect(values.provider).toBe('p1');
    expect(modelFieldsFromForm({ ...values, displayName: '  GPT-4o mini ' })).toEqual({
      displayName: 'GPT-4o mini',
      inputPricePerMillion: 150,
      outputPricePerMillion: 600,
      providerId: 'p1',
      upstreamModel: 'openai/gpt-4o-mini',
      vision: true,
      active: true,
    });
  });

  it('sends an empty upstream name as null and the demo provider as null', () => {
    const fields = modelFieldsFromForm({
      ...NEW_MODEL,
      displayName: 'Demo',
      upstreamModel: '   ',
      inputPricePerMillion: null,
    });
    expect(fields.upstreamModel).toBeNull();
    expect(fields.providerId).toBeNull();
    expect(fields.inputPricePerMillion).toBe(0);
  });

  it('checks model ids as the server does', () => {
    expect(MODEL_ID_PATTERN.test('tessera-mini')).toBe(true);
    expect(MODEL_ID_PATTERN.test('openai/gpt-4o:latest')).toBe(true);
    expect(MODEL_ID_PATTERN.test('GPT-4o')).toBe(false);
    expect(MODEL_ID_PATTERN.test('-x')).toBe(false);
    expect(MODEL_ID_PATTERN.test('has space')).toBe(false);
  });

  it('puts server field errors on the right inputs', () => {
    expect(resolveServerField('modelId', MODEL_SERVER_FIELDS)).toBe('modelId');
    expect(resolveServerField('id', MODEL_SERVER_FIELDS)).toBe('modelId');
    expect(resolveServerField('providerId', MODEL_SERVER_FIELDS)).toBe('provider');
    expect(resolveServerField('fields.inputPricePerMillion', MODEL_SERVER_FIELDS)).toBe(
      'inputPricePerMillion',
    );
    expect(resolveServerField('fields.somethingElse', MODEL_SERVER_FIELDS)).toBeNull();
  });
});

describe('provider form', () => {
  const row = {
    id: 'p1',
    name: 'OpenRouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    apiKeySet: true,
    active: true,
    updatedAt: '2026-01-01T00:00:00.000Z',
  };

  it('never holds the stored key', () => {
    expect(providerToForm(row).apiKey).toBe('');
  });

  it('sends the API key only when one was typed', () => {
    const kept = providerFieldsFromForm({ ...providerToForm(row), name: ' OpenRouter ' });
    expect(kept).toEqual({
      name: 'OpenRouter',
      baseUrl: 'https://openrouter.ai/api/v1',
      active: true,
    });
    expect('apiKey' in kept).toBe(false);
    expect('apiKey' in providerFieldsFromForm({ ...providerToForm(row), apiKey: '   ' })).toBe(
      false,
    );
    expect(providerFieldsFromForm({ ...providerToForm(row), apiKey: ' sk-new ' }).apiKey).toBe(
      'sk-new',
    );
  });

  it('puts `fields.baseUrl` errors on the base URL input', () => {
    expect(resolveServerField('fields.baseUrl', PROVIDER_SERVER_FIELDS)).toBe('baseUrl');
    expect(resolveServerField('fields.apiKey', PROVIDER_SERVER_FIELDS)).toBe('apiKey');
  });
});
