import type { Locale, TranslateFn } from '../i18n/translate.ts';
import { unlockText } from './denial.ts';
import type { ChatModel } from './trpc.ts';

/** The model picker: which model is chosen, and what a locked one needs. */

const STORAGE_KEY = 'tessera.chat.model';

type PickerModel = Pick<ChatModel, 'id' | 'allowed'>;

/** The remembered choice if the plan still allows it, else the first allowed model; null if none. */
export function chooseModel(
  models: readonly PickerModel[],
  preferred: string | null,
): string | null {
  if (preferred && models.some((model) => model.id === preferred && model.allowed)) {
    return preferred;
  }
  return models.find((model) => model.allowed)?.id ?? null;
}

/**
 * What unlocks a locked model, one line per mark ("Needs Pro — Pro monthly $20/mo, 7-day trial ·
 * Pro yearly $200/yr"), as the upgrade prompt says it. Empty for a model the plan allows.
 */
export function modelLockLines(
  model: Pick<ChatModel, 'allowed' | 'unlock'>,
  t: TranslateFn,
  locale: Locale,
): string[] {
  if (model.allowed) return [];
  if (model.unlock.length === 0) return [t('unlock.nothingSells')];
  return model.unlock.map((unlock) => unlockText(unlock, t, locale));
}

/** The model display name for an id ("Tessera Plus"); the id itself when it is not listed. */
export function modelName(models: readonly Pick<ChatModel, 'id' | 'displayName'>[], id: string) {
  return models.find((model) => model.id === id)?.displayName ?? id;
}

export function readStoredModel(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeModel(id: string): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, id);
  } catch {
    // Private mode or storage disabled: the choice lasts for this tab only.
  }
}
