import { describe, expect, it } from 'vitest';
import { chooseModel, modelLockLines, modelName } from '../src/lib/chatModels.ts';
import type { ChatModel } from '../src/lib/trpc.ts';
import { PRO_UNLOCK, tEn, tZh } from './helpers.ts';

function model(id: string, allowed: boolean, unlock: ChatModel['unlock'] = []): ChatModel {
  return {
    id,
    displayName: id.replace('tessera-', 'Tessera '),
    inputPricePerMillion: 1,
    outputPricePerMillion: 1,
    vision: false,
    allowed,
    unlock,
  };
}

const MODELS = [
  model('tessera-mini', true),
  model('tessera-plus', false, [PRO_UNLOCK]),
  model('tessera-ultra', false),
];

describe('chooseModel', () => {
  it('keeps the remembered model while the plan allows it', () => {
    const pro = [model('tessera-mini', true), model('tessera-plus', true)];
    expect(chooseModel(pro, 'tessera-plus')).toBe('tessera-plus');
  });

  it('falls back to the first allowed model', () => {
    expect(chooseModel(MODELS, 'tessera-plus')).toBe('tessera-mini');
    expect(chooseModel(MODELS, 'gone')).toBe('tessera-mini');
    expect(chooseModel(MODELS, null)).toBe('tessera-mini');
  });

  it('is null when nothing is allowed (or nothing is loaded)', () => {
    expect(chooseModel([model('tessera-plus', false)], 'tessera-plus')).toBeNull();
    expect(chooseModel([], null)).toBeNull();
  });
});

describe('modelLockLines', () => {
  it('says nothing for an allowed model', () => {
    expect(modelLockLines(MODELS[0]!, tEn, 'en')).toEqual([]);
  });

  it('says what unlocks a locked one, as the upgrade prompt does', () => {
    expect(modelLockLines(MODELS[1]!, tEn, 'en')).toEqual([
      'Needs Pro — Pro monthly $20/mo, 7-day trial · Pro yearly $200/yr',
    ]);
    expect(modelLockLines(MODELS[1]!, tZh, 'zh-CN')[0]).toMatch(/^需要 Pro/);
  });

  it('says when no plan sells it', () => {
    expect(modelLockLines(MODELS[2]!, tEn, 'en')).toEqual([
      'No plan sells this yet. Ask an admin.',
    ]);
  });
});

describe('modelName', () => {
  it('names a model by its display name, else its id', () => {
    expect(modelName(MODELS, 'tessera-plus')).toBe('Tessera plus');
    expect(modelName(MODELS, 'retired-model')).toBe('retired-model');
  });
});
