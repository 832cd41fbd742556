import {
  ApiOutlined,
  AppstoreOutlined,
  FileSearchOutlined,
  StopOutlined,
  TranslationOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { Select } from 'antd';
import { type ReactNode, useMemo } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import {
  type ChatPlugin,
  type PluginChoice,
  pluginChoice,
  pluginText,
  TRANSLATE_LANGUAGES,
} from '../../lib/pickers.ts';
import { trpc } from '../../lib/trpc.ts';
import { PickerOption } from './PickerOption.tsx';
import '../../pickers.css';

const NONE = '';
const ICONS: Record<string, ReactNode> = {
  translate: <TranslationOutlined />,
  summarize: <UnorderedListOutlined />,
  'seo-analysis': <FileSearchOutlined />,
};
/** A plugin's icon, here and where the thread says a message went through it. */
export const pluginIcon = (id: string) => ICONS[id] ?? <ApiOutlined />;

/**
 * Pick a plugin for the next message, or none; `value` is what `chat.stream` takes as `plugin`.
 * Plugins come from `chat.plugins` (or are passed in); ones the plan does not include are shown
 * disabled with what unlocks them. Translate also asks for the target language.
 */
export function PluginPicker({
  value,
  onChange,
  plugins: given,
  disabled = false,
  className,
}: {
  value: PluginChoice | null;
  onChange: (choice: PluginChoice | null) => void;
  plugins?: ChatPlugin[];
  disabled?: boolean;
  className?: string;
}) {
  const { t, locale, lookup } = useLocale();
  const query = trpc.chat.plugins.useQuery(undefined, { enabled: given === undefined });
  const plugins = given ?? query.data;
  const options = useMemo(
    () => [
      {
        value: NONE,
        label: (
          <PickerOption
            icon={<StopOutlined />}
            name={t('pickers.noPlugin')}
            detail={t('pickers.noPluginDetail')}
            item={{ allowed: true, unlock: [] }}
            testId="plugin-option-none"
          />
        ),
      },
      ...(plugins ?? []).map((plugin) => {
        const text = pluginText(plugin, lookup);
        return {
          value: plugin.id,
          disabled: !plugin.allowed,
          label: (
            <PickerOption
              icon={pluginIcon(plugin.id)}
              name={text.name}
              detail={text.description}
              item={plugin}
              testId={`plugin-option-${plugin.id}`}
            />
          ),
        };
      }),
    ],
    [plugins, t, lookup],
  );
  const chosen = plugins?.find((plugin) => plugin.id === value?.id);
  return (
    <span className={className ? `plugin-picker ${className}` : 'plugin-picker'}>
      <Select<string>
        className="picker"
        classNames={{ popup: { root: 'picker__popup' } }}
        value={value?.id ?? NONE}
        onChange={(id) => onChange(pluginChoice(id === NONE ? null : id, value, locale))}
        options={options}
        loading={given === undefined && query.isPending}
        disabled={disabled}
        popupMatchSelectWidth={false}
        labelRender={() => (
          <span className="picker__value">
            {chosen ? pluginIcon(chosen.id) : <AppstoreOutlined />}
            <span className="picker__value-text">
              {chosen ? pluginText(chosen, lookup).name : t('pickers.noPlugin')}
            </span>
          </span>
        )}
        aria-label={t('pickers.plugin')}
        data-testid="plugin-picker"
      />
      {value?.id === 'translate' ? (
        <Select<string>
          className="plugin-picker__language"
          value={value.options?.language ?? TRANSLATE_LANGUAGES[0].value}
          onChange={(language) => onChange({ ...value, options: { ...value.options, language } })}
          options={TRANSLATE_LANGUAGES.map((language) => ({ ...language }))}
          disabled={disabled}
          popupMatchSelectWidth={false}
          prefix={<span className="muted">{t('pickers.translateInto')}</span>}
          aria-label={t('pickers.translateInto')}
          data-testid="plugin-language"
        />
      ) : null}
    </span>
  );
}
