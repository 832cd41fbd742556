import { describe, expect, it } from 'vitest';
import { isMessageKey, translate } from '../src/i18n/translate.ts';
import {
  defaultPluginOptions,
  groupByVendor,
  lockLines,
  pluginChoice,
  pluginText,
  usableChoice,
} from '../src/lib/pickers.ts';
import { PRO_UNLOCK, tEn, tZh } from './helpers.ts';

const lookupFor =
  (locale: 'en' | 'zh-CN') => (key: string, params?: Record<string, string | number>) =>
    isMessageKey(key) ? translate(locale, key, params) : undefined;

describe('lockLines', () => {
  it('is empty for an entry the plan allows', () => {
    expect(lockLines({ allowed: true, unlock: [PRO_UNLOCK] }, tEn, 'en')).toEqual([]);
  });

  it('says what unlocks a locked entry, as the upgrade prompt does', () => {
    expect(lockLines({ allowed: false, unlock: [PRO_UNLOCK] }, tEn, 'en')).toEqual([
      'Needs Pro — Pro monthly $20/mo, 7-day trial · Pro yearly $200/yr',
    ]);
    expect(lockLines({ allowed: false, unlock: [PRO_UNLOCK] }, tZh, 'zh-CN')[0]).toContain('Pro');
  });

  it('says when nothing on sale unlocks it', () => {
    expect(lockLines({ allowed: false, unlock: [] }, tEn, 'en')).toEqual([
      'No plan sells this yet. Ask an admin.',
    ]);
  });
});

describe('usableChoice', () => {
  const items = [
    { id: 'a', allowed: true },
    { id: 'b', allowed: false },
  ];
  it('keeps a choice only while it is listed and allowed', () => {
    expect(usableChoice(items, 'a')).toBe('a');
    expect(usableChoice(items, 'b')).toBeNull();
    expect(usableChoice(items, 'gone')).toBeNull();
    expect(usableChoice(undefined, 'a')).toBeNull();
    expect(usableChoice(items, null)).toBeNull();
  });
});

describe('groupByVendor', () => {
  it('groups assistants by vendor in order, usable ones first', () => {
    const a = (id: string, tenantId: string, allowed: boolean) => ({
      id,
      tenantId,
      tenantName: tenantId.toUpperCase(),
      allowed,
    });
    const groups = groupByVendor([
      a('a1', 'acme', false),
      a('b1', 'beta', true),
      a('a2', 'acme', true),
    ]);
    expect(groups.map((g) => g.tenantName)).toEqual(['ACME', 'BETA']);
    expect(groups[0]?.assistants.map((x) => x.id)).toEqual(['a2', 'a1']);
    expect(groupByVendor([])).toEqual([]);
  });
});

describe('plugins', () => {
  const translatePlugin = {
    id: 'translate',
    name: 'Translate',
    description: 'Translates your message into another language.',
  };

  it('translates the built-in plugins and keeps others as the server says', () => {
    expect(pluginText(translatePlugin, lookupFor('zh-CN')).name).toBe('翻译');
    expect(pluginText(translatePlugin, lookupFor('en')).name).toBe('Translate');
    const custom = { id: 'custom', name: 'Custom', description: 'Does things.' };
    expect(pluginText(custom, lookupFor('zh-CN'))).toEqual({
      name: 'Custom',
      description: 'Does things.',
    });
  });

  it('gives translate a target language and keeps options while the plugin stays', () => {
    expect(defaultPluginOptions('translate', 'zh-CN')).toEqual({ language: 'English' });
    expect(defaultPluginOptions('summarize', 'en')).toBeUndefined();
    expect(pluginChoice('summarize', null, 'en')).toEqual({ id: 'summarize' });
    const chosen = { id: 'translate', options: { language: 'Japanese' } };
    expect(pluginChoice('translate', chosen, 'en')).toBe(chosen);
    expect(pluginChoice('translate', { id: 'summarize' }, 'en')).toEqual({
      id: 'translate',
      options: { language: 'Simplified Chinese' },
    });
    expect(pluginChoice(null, chosen, 'en')).toBeNull();
  });
});
