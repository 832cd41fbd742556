import { RobotOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { pluginIcon } from '../../components/pickers/PluginPicker.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { hasTools, type TurnTools } from '../../lib/chat.ts';
import { pluginText, TRANSLATE_LANGUAGES } from '../../lib/pickers.ts';

/** "Translate into 简体中文": the target language in its own language, as the picker shows it. */
function languageLabel(value: string): string {
  return TRANSLATE_LANGUAGES.find((language) => language.value === value)?.label ?? value;
}

/**
 * Under a prompt sent with an assistant or a plugin: small tags saying so, so the answer below
 * explains itself (a translation, a summary, a vendor's voice).
 */
export function TurnToolTags({ tools }: { tools: TurnTools }) {
  const { t, lookup } = useLocale();
  if (!hasTools(tools)) return null;
  const { assistant, plugin } = tools;
  const pluginName = plugin ? pluginText({ ...plugin, description: '' }, lookup).name : '';
  const language = plugin?.id === 'translate' ? plugin.options?.language : undefined;
  return (
    <div className="chat-turn-tools">
      {assistant ? (
        <Tag
          icon={<RobotOutlined />}
          className="chat-turn-tools__tag"
          title={t('chat.turn.assistant', { assistant: assistant.name })}
          data-testid="turn-assistant"
          data-assistant-id={assistant.id}
        >
          {assistant.name}
        </Tag>
      ) : null}
      {plugin ? (
        <Tag
          icon={pluginIcon(plugin.id)}
          className="chat-turn-tools__tag"
          title={t('chat.turn.plugin', { plugin: pluginName })}
          data-testid="turn-plugin"
          data-plugin-id={plugin.id}
        >
          {language
            ? t('chat.turn.translate', { plugin: pluginName, language: languageLabel(language) })
            : pluginName}
        </Tag>
      ) : null}
    </div>
  );
}
