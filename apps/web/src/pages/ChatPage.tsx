import { MessageOutlined } from '@ant-design/icons';
import { EmptyStatePage } from '../components/EmptyStatePage.tsx';
import { useT } from '../i18n/useT.ts';

export function ChatPage() {
  const t = useT();
  return (
    <EmptyStatePage
      testId="chat-page"
      title={t('chat.title')}
      headline={t('chat.comingSoon')}
      detail={t('chat.comingSoonDetail')}
      icon={<MessageOutlined />}
    />
  );
}
