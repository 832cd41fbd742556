import type { AppRouter } from '@tessera/api';
import type { inferRouterInputs } from '@trpc/server';
import type { FieldMap } from '../components/forms/useServerErrors.ts';
import type { RouterOutputs } from './trpc.ts';

/** The admin's model catalog and provider endpoints (see pages/admin/ModelsTab). */

export type AdminModelRow = RouterOutputs['admin']['models']['list'][number];
export type ProviderRow = RouterOutputs['admin']['models']['providers']['list'][number];
type Inputs = inferRouterInputs<AppRouter>['admin']['models'];
export type ModelFields = Inputs['create']['fields'];
export type ProviderFields = Inputs['providers']['create']['fields'];

/** `providerId` = null: the built-in offline demo; `openai`: OPENAI_BASE_URL; else a provider. */
export const ENV_PROVIDER_ID = 'openai';
/** The provider select's value for "Built-in demo" (null cannot be an option value). */
export const DEMO_PROVIDER_VALUE = ':demo';

export function providerToSelect(providerId: string | null): string {
  return providerId ?? DEMO_PROVIDER_VALUE;
}

export function providerFromSelect(value: string | undefined): string | null {
  return !value || value === DEMO_PROVIDER_VALUE ? null : value;
}

export type ProviderKind = 'demo' | 'env' | 'custom' | 'missing';

/** What serves a model: the demo, the environment's endpoint, a configured provider, or gone. */
export function describeProvider(
  providerId: string | null,
  providers: readonly Pick<ProviderRow, 'id' | 'name' | 'active'>[],
): { kind: ProviderKind; provider: Pick<ProviderRow, 'id' | 'name' | 'active'> | null } {
  if (providerId === null) return { kind: 'demo', provider: null };
  if (providerId === ENV_PROVIDER_ID) return { kind: 'env', provider: null };
  const provider = providers.find((p) => p.id === providerId) ?? null;
  return { kind: provider ? 'custom' : 'missing', provider };
}

/** How many models each provider serves (by provider id; the demo under DEMO_PROVIDER_VALUE). */
export function modelsPerProvider(
  models: readonly Pick<AdminModelRow, 'providerId'>[],
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const model of models) {
    const key = providerToSelect(model.providerId);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export interface ModelFormValues {
  modelId: string;
  displayName: string;
  inputPricePerMillion: number | null;
  outputPricePerMillion: number | null;
  provider: string;
  upstreamModel?: string | null;
  vision: boolean;
  active: boolean;
}

export const NEW_MODEL: ModelFormValues = {
  modelId: '',
  displayName: '',
  inputPricePerMillion: 0,
  outputPricePerMillion: 0,
  provider: DEMO_PROVIDER_VALUE,
  upstreamModel: '',
  vision: false,
  active: true,
};

export function modelToForm(model: AdminModelRow): ModelFormValues {
  return {
    modelId: model.id,
    displayName: model.displayName,
    inputPricePerMillion: model.inputPricePerMillion,
    outputPricePerMillion: model.outputPricePerMillion,
    provider: providerToSelect(model.providerId),
    upstreamModel: model.upstreamModel ?? '',
    vision: model.vision,
    active: model.active,
  };
}

/** The form as the API takes it: trimmed, an empty upstream name = the same as the model id. */
export function modelFieldsFromForm(values: ModelFormValues): ModelFields {
  return {
    displayName: values.displayName.trim(),
    inputPricePerMillion: values.inputPricePerMillion ?? 0,
    outputPricePerMillion: values.outputPricePerMillion ?? 0,
    providerId: providerFromSelect(values.provider),
    upstreamModel: values.upstreamModel?.trim() || null,
    vision: values.vision,
    active: values.active,
  };
}

/** The model id's rule on the server (modelIdSchema): lowercase, digits and . _ : / - */
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9._:/-]{0,99}$/;

/**
 * Server field keys → form fields. Router validation names full paths (`fields.displayName`);
 * the domain names the id `id` and an unknown provider `providerId`.
 */
export const MODEL_SERVER_FIELDS: FieldMap = {
  modelId: 'modelId',
  id: 'modelId',
  providerId: 'provider',
  'fields.providerId': 'provider',
  'fields.displayName': 'displayName',
  'fields.inputPricePerMillion': 'inputPricePerMillion',
  'fields.outputPricePerMillion': 'outputPricePerMillion',
  'fields.upstreamModel': 'upstreamModel',
  'fields.vision': 'vision',
  'fields.active': 'active',
};

export interface ProviderFormValues {
  name: string;
  baseUrl: string;
  apiKey?: string;
  active: boolean;
}

export const NEW_PROVIDER: ProviderFormValues = { name: '', baseUrl: '', apiKey: '', active: true };

export function providerToForm(provider: ProviderRow): ProviderFormValues {
  // The key is write-only: the form never holds the stored one.
  return { name: provider.name, baseUrl: provider.baseUrl, apiKey: '', active: provider.active };
}

/**
 * The form as the API takes it. `apiKey` is sent only when something was typed: on edit, an empty
 * field keeps the stored key; on create, it means "no key".
 */
export function providerFieldsFromForm(values: ProviderFormValues): ProviderFields {
  const apiKey = values.apiKey?.trim() ?? '';
  return {
    name: values.name.trim(),
    baseUrl: values.baseUrl.trim(),
    active: values.active,
    ...(apiKey ? { apiKey } : {}),
  };
}

export const PROVIDER_SERVER_FIELDS: FieldMap = {
  'fields.name': 'name',
  'fields.baseUrl': 'baseUrl',
  'fields.apiKey': 'apiKey',
  'fields.active': 'active',
};
