import type { AppRouter } from '@tessera/api';
import type { inferRouterInputs } from '@trpc/server';
import type { FieldMap } from '../components/forms/useServerErrors.ts';
import type { RouterOutputs } from './trpc.ts';

/** A vendor's assistants, as the vendor console edits them (see pages/vendor/VendorAssistantsTab). */

export type VendorAssistantRow = RouterOutputs['vendor']['assistants']['list'][number];
export type AssistantFields =
  inferRouterInputs<AppRouter>['vendor']['assistants']['create']['fields'];

export const ASSISTANT_LIMITS = { name: 80, description: 500, systemPrompt: 8000 } as const;

export interface AssistantFormValues {
  name: string;
  description?: string;
  systemPrompt: string;
  modelId?: string;
  markId?: string;
  active: boolean;
}

/** A new assistant: the first model and the first mark preselected when there are any. */
export function newAssistantValues(
  models: readonly { id: string }[],
  marks: readonly { id: string }[],
): AssistantFormValues {
  return {
    name: '',
    description: '',
    systemPrompt: '',
    modelId: models[0]?.id,
    markId: marks.length === 1 ? marks[0]?.id : undefined,
    active: true,
  };
}

export function assistantToForm(row: VendorAssistantRow): AssistantFormValues {
  return {
    name: row.name,
    description: row.description,
    systemPrompt: row.systemPrompt,
    modelId: row.modelId,
    markId: row.markId,
    active: row.active,
  };
}

export function assistantFieldsFromForm(values: AssistantFormValues): AssistantFields {
  return {
    name: values.name.trim(),
    description: values.description?.trim() ?? '',
    systemPrompt: values.systemPrompt.trim(),
    modelId: values.modelId ?? '',
    markId: values.markId ?? '',
    active: values.active,
  };
}

/** A model's display name by id; the id itself when the catalog does not list it (inactive). */
export function modelDisplayName(
  models: readonly { id: string; displayName: string }[],
  modelId: string,
): string {
  return models.find((model) => model.id === modelId)?.displayName ?? modelId;
}

/** Router validation names `fields.*`; the domain names a mark of another tenant `markId`. */
export const ASSISTANT_SERVER_FIELDS: FieldMap = {
  markId: 'markId',
  ...Object.fromEntries(
    ['name', 'description', 'systemPrompt', 'modelId', 'markId', 'active'].map((name) => [
      `fields.${name}`,
      name,
    ]),
  ),
};
