import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import { useLocale } from '../../i18n/useT.ts';
import {
  conversationJson,
  conversationMarkdown,
  downloadText,
  exportFileName,
} from '../../lib/chatExport.ts';
import { trpc } from '../../lib/trpc.ts';

/** "Export" on an open conversation: the stored messages as a Markdown or a JSON file. */
export function ExportMenu({
  conversationId,
  title,
  modelName,
}: {
  conversationId: string;
  title: string;
  modelName: (id: string) => string;
}) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const save = async (format: 'md' | 'json') => {
    try {
      // Fresh from the server: an answer that just finished is in it.
      const messages = await utils.chat.conversations.messages.fetch({ conversationId });
      if (format === 'md') {
        const text = conversationMarkdown(
          title,
          messages,
          { you: t('chat.export.you'), assistant: t('chat.export.assistant') },
          modelName,
        );
        downloadText(exportFileName(title, 'md'), text, 'text/markdown');
      } else {
        const text = conversationJson({ id: conversationId, title }, messages, new Date());
        downloadText(exportFileName(title, 'json'), text, 'application/json');
      }
    } catch {
      void message.error(t('chat.export.failed'));
    }
  };
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          {
            key: 'md',
            label: <span data-testid="export-markdown">{t('chat.export.markdown')}</span>,
          },
          { key: 'json', label: <span data-testid="export-json">{t('chat.export.json')}</span> },
        ],
        onClick: ({ key }) => void save(key === 'json' ? 'json' : 'md'),
      }}
    >
      <Button
        type="text"
        icon={<DownloadOutlined />}
        aria-label={t('chat.export')}
        title={t('chat.export')}
        data-testid="chat-export"
      />
    </Dropdown>
  );
}
