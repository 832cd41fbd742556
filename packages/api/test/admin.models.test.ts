import { afterEach, describe, expect, it } from 'vitest';
import { createDemoProvider } from '../src/chat/providers/demo-provider.ts';
import { createProviderRegistry } from '../src/chat/providers/registry.ts';
import { type EngineTestApi, openTestApi, signedUp } from './harness.ts';

describe('admin: models and providers', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('adds a provider (its key never comes back) and a priced model routed to it', async () => {
    api = await openTestApi();
    const { browser } = await signedUp(api, 'root@example.com');
    const admin = api.caller(browser).admin.models;
    const provider = await admin.providers.create({
      fields: { name: 'Local vLLM', baseUrl: 'http://127.0.0.1:8000/v1', apiKey: 'sk-secret' },
    });
    expect(provider).toMatchObject({ name: 'Local vLLM', apiKeySet: true });
    expect(JSON.stringify(await admin.providers.list())).not.toContain('sk-secret');
    const { events } = await api.stores.ops.listAudit({ action: 'provider.created' });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0]!.data)).not.toContain('sk-secret');

    const model = await admin.create({
      modelId: 'llama-3-8b',
      fields: {
        displayName: 'Llama 3 8B',
        inputPricePerMillion: 10_000,
        outputPricePerMillion: 20_000,
        providerId: provider.id,
        upstreamModel: 'meta-llama/Meta-Llama-3-8B-Instruct',
      },
    });
    expect(model).toMatchObject({
      id: 'llama-3-8b',
      providerId: provider.id,
      active: true,
      vision: false,
    });
    // Marked as seeing images (decision 026): the chat's model list says so.
    await admin.update({ modelId: 'llama-3-8b', fields: { vision: true } });
    expect((await admin.list()).find((m) => m.id === 'llama-3-8b')?.vision).toBe(true);
    expect(Object.fromEntries((await admin.list()).map((m) => [m.id, m.vision]))).toMatchObject({
      'tessera-mini': false,
      'tessera-plus': true,
      'tessera-ultra': true,
    });
    await expect(
      admin.create({
        modelId: 'llama-3-8b',
        fields: {
          displayName: 'dup',
          inputPricePerMillion: 0,
          outputPricePerMillion: 0,
          providerId: null,
        },
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      admin.create({
        modelId: 'x',
        fields: {
          displayName: 'x',
          inputPricePerMillion: 0,
          outputPricePerMillion: 0,
          providerId: 'nope',
        },
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(
      (await admin.update({ modelId: 'llama-3-8b', fields: { outputPricePerMillion: 30_000 } }))
        .outputPricePerMillion,
    ).toBe(30_000);

    const registry = createProviderRegistry({
      demo: createDemoProvider(),
      rows: api.stores.chats,
    });
    expect((await registry.forModel({ id: 'llama-3-8b', providerId: provider.id }))?.id).toBe(
      provider.id,
    );
    await admin.providers.update({ providerId: provider.id, fields: { active: false } });
    expect(await registry.forModel({ id: 'llama-3-8b', providerId: provider.id })).toBeNull();
    expect((await registry.forModel({ id: 'tessera-mini', providerId: null }))?.id).toBe('demo');
  });
});

describe('editing one field keeps the others', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('a switched-off model stays off, and an inactive assistant keeps its state and description, when renamed', async () => {
    api = await openTestApi({ seedDemo: true });
    const { browser } = await signedUp(api, 'root@example.com');
    const admin = api.caller(browser);
    await admin.admin.models.update({ modelId: 'tessera-ultra', fields: { active: false } });
    const renamed = await admin.admin.models.update({
      modelId: 'tessera-ultra',
      fields: { displayName: 'Ultra (paused)' },
    });
    expect(renamed).toMatchObject({ displayName: 'Ultra (paused)', active: false });
    expect((await admin.chat.models()).map((m) => m.id)).not.toContain('tessera-ultra');

    await admin.vendor.assistants.update({
      tenantId: 'acme',
      assistantId: 'acme-seo-writer',
      fields: { active: false },
    });
    const assistant = await admin.vendor.assistants.update({
      tenantId: 'acme',
      assistantId: 'acme-seo-writer',
      fields: { name: 'Acme SEO Writer 2' },
    });
    expect(assistant).toMatchObject({
      name: 'Acme SEO Writer 2',
      active: false,
      description: 'Drafts and polishes web copy that ranks.',
    });
  });
});
