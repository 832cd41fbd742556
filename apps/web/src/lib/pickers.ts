import type { Locale, TranslateFn } from '../i18n/translate.ts';
import { type Unlock, unlockText } from './denial.ts';
import type { Lookup } from './errorMessages.ts';
import type { RouterOutputs } from './trpc.ts';

/** Pure helpers of the chat's assistant and plugin pickers (components/pickers). */

export type ChatAssistant = RouterOutputs['chat']['assistants'][number];
export type ChatPlugin = RouterOutputs['chat']['plugins'][number];

/** What a chat request may carry as `plugin` (chat.stream's input). */
export interface PluginChoice {
  id: string;
  options?: Record<string, string>;
}

interface Lockable {
  allowed: boolean;
  unlock: readonly Unlock[];
}

/**
 * What unlocks a locked entry, one line per mark, worded as the upgrade prompt words it ("Needs
 * Pro — Pro monthly $20/mo, 7-day trial"). Empty for an entry the member may use.
 */
export function lockLines(item: Lockable, t: TranslateFn, locale: Locale): string[] {
  if (item.allowed) return [];
  if (item.unlock.length === 0) return [t('unlock.nothingSells')];
  return item.unlock.map((unlock) => unlockText(unlock, t, locale));
}

/** The chosen id if it is listed and allowed now (a downgrade can lock it), else null. */
export function usableChoice(
  items: readonly { id: string; allowed: boolean }[] | undefined,
  id: string | null | undefined,
): string | null {
  if (!id || !items) return null;
  return items.some((item) => item.id === id && item.allowed) ? id : null;
}

export interface VendorGroup<A> {
  tenantId: string;
  tenantName: string;
  assistants: A[];
}

/** Assistants by vendor (in the order given); within a vendor, usable ones first. */
export function groupByVendor<A extends Pick<ChatAssistant, 'tenantId' | 'tenantName' | 'allowed'>>(
  assistants: readonly A[],
): VendorGroup<A>[] {
  const groups = new Map<string, VendorGroup<A>>();
  for (const assistant of assistants) {
    const group = groups.get(assistant.tenantId) ?? {
      tenantId: assistant.tenantId,
      tenantName: assistant.tenantName,
      assistants: [],
    };
    group.assistants.push(assistant);
    groups.set(assistant.tenantId, group);
  }
  return [...groups.values()].map((group) => ({
    ...group,
    assistants: [
      ...group.assistants.filter((a) => a.allowed),
      ...group.assistants.filter((a) => !a.allowed),
    ],
  }));
}

/**
 * A plugin's name and description in the reader's language: built-in plugins are translated
 * (`pickers.plugin.<id>.name`), others keep the server's English text.
 */
export function pluginText(
  plugin: Pick<ChatPlugin, 'id' | 'name' | 'description'>,
  lookup: Lookup,
): { name: string; description: string } {
  return {
    name: lookup(`pickers.plugin.${plugin.id}.name`) ?? plugin.name,
    description: lookup(`pickers.plugin.${plugin.id}.description`) ?? plugin.description,
  };
}

/** The translate plugin's target languages: shown in their own language, sent in English. */
export const TRANSLATE_LANGUAGES = [
  { value: 'English', label: 'English' },
  { value: 'Simplified Chinese', label: '简体中文' },
  { value: 'Spanish', label: 'Español' },
  { value: 'French', label: 'Français' },
  { value: 'German', label: 'Deutsch' },
  { value: 'Japanese', label: '日本語' },
] as const;

/** Plugins that take options, and the defaults a fresh choice gets. */
export function defaultPluginOptions(
  pluginId: string,
  locale: Locale,
): Record<string, string> | undefined {
  if (pluginId !== 'translate') return undefined;
  // Readers of English mostly translate into something else; Chinese readers into English.
  return { language: locale === 'en' ? 'Simplified Chinese' : 'English' };
}

/** A plugin choice for an id (null = no plugin), keeping options that still apply. */
export function pluginChoice(
  id: string | null,
  previous: PluginChoice | null,
  locale: Locale,
): PluginChoice | null {
  if (!id) return null;
  if (previous?.id === id) return previous;
  const options = defaultPluginOptions(id, locale);
  return options ? { id, options } : { id };
}
