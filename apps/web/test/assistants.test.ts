import { describe, expect, it } from 'vitest';
import { resolveServerField } from '../src/components/forms/useServerErrors.ts';
import {
  ASSISTANT_SERVER_FIELDS,
  assistantFieldsFromForm,
  assistantToForm,
  modelDisplayName,
  newAssistantValues,
} from '../src/lib/assistants.ts';

const ROW = {
  id: 'a1',
  tenantId: 'acme',
  tenantName: 'Acme',
  markId: 'm1',
  markKey: 'acme:writer',
  markName: 'Acme Writer',
  name: 'SEO Writer',
  description: 'Drafts web copy.',
  systemPrompt: 'You write web copy.',
  modelId: 'tessera-plus',
  active: true,
};

describe('assistant form', () => {
  it('starts with the first model, and the mark when there is only one', () => {
    const models = [{ id: 'tessera-mini' }, { id: 'tessera-plus' }];
    expect(newAssistantValues(models, [{ id: 'm1' }])).toMatchObject({
      modelId: 'tessera-mini',
      markId: 'm1',
      active: true,
    });
    expect(newAssistantValues(models, [{ id: 'm1' }, { id: 'm2' }]).markId).toBeUndefined();
    expect(newAssistantValues([], []).modelId).toBeUndefined();
  });

  it('round-trips a row and trims what was typed', () => {
    const values = assistantToForm(ROW);
    expect(
      assistantFieldsFromForm({ ...values, name: ' SEO Writer  ', systemPrompt: '\n Be brief. ' }),
    ).toEqual({
      name: 'SEO Writer',
      description: 'Drafts web copy.',
      systemPrompt: 'Be brief.',
      modelId: 'tessera-plus',
      markId: 'm1',
      active: true,
    });
  });

  it('sends an empty description when none was typed', () => {
    const fields = assistantFieldsFromForm({
      name: 'X',
      systemPrompt: 'Y',
      modelId: 'tessera-mini',
      markId: 'm1',
      active: false,
    });
    expect(fields.description).toBe('');
    expect(fields.active).toBe(false);
  });

  it('names a model by its display name, or its id when it is not listed', () => {
    const models = [{ id: 'tessera-plus', displayName: 'Tessera Plus' }];
    expect(modelDisplayName(models, 'tessera-plus')).toBe('Tessera Plus');
    expect(modelDisplayName(models, 'retired')).toBe('retired');
  });

  it('puts server field errors on the right inputs', () => {
    expect(resolveServerField('fields.systemPrompt', ASSISTANT_SERVER_FIELDS)).toBe('systemPrompt');
    expect(resolveServerField('fields.markId', ASSISTANT_SERVER_FIELDS)).toBe('markId');
    expect(resolveServerField('markId', ASSISTANT_SERVER_FIELDS)).toBe('markId');
    expect(resolveServerField('tenantId', ASSISTANT_SERVER_FIELDS)).toBeNull();
  });
});
