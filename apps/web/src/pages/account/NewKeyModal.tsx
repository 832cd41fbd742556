import { CheckOutlined, CopyOutlined, KeyOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useT } from '../../i18n/useT.ts';
import type { NewApiKey } from '../../lib/apiKeys.ts';
import { copyText } from '../../lib/clipboard.ts';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * The key just created, shown this once: a copy button and a clear warning. Closing needs a click
 * on Done or the close icon (not a stray click on the backdrop), so it is not lost by accident.
 */
export function NewKeyModal({
  created,
  onClose,
}: {
  created: NewApiKey | null;
  onClose: () => void;
}) {
  const t = useT();
  const [copy, setCopy] = useState<CopyState>('idle');
  useEffect(() => {
    if (created) setCopy('idle');
  }, [created]);

  const copyKey = async () => {
    if (!created) return;
    setCopy((await copyText(created.key)) ? 'copied' : 'failed');
  };

  return (
    <Modal
      open={created !== null}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      width={560}
      title={
        <span className="card-title-icon">
          <KeyOutlined /> {t('apiKeys.newTitle')}
        </span>
      }
      footer={
        <Button type="primary" onClick={onClose} data-testid="new-key-done">
          {t('apiKeys.done')}
        </Button>
      }
      data-testid="new-key-modal"
    >
      {created ? (
        <div className="new-key">
          <Alert
            type="warning"
            showIcon
            title={t('apiKeys.onceTitle')}
            description={t('apiKeys.onceDetail')}
            data-testid="new-key-warning"
          />
          <div className="new-key__label">{t('apiKeys.keyFor', { name: created.name })}</div>
          <div className="new-key__box">
            <code className="new-key__value" data-testid="new-key-value">
              {created.key}
            </code>
            <Button
              type={copy === 'copied' ? 'default' : 'primary'}
              icon={copy === 'copied' ? <CheckOutlined /> : <CopyOutlined />}
              onClick={() => void copyKey()}
              data-testid="new-key-copy"
              data-copied={copy === 'copied' ? 'true' : undefined}
            >
              {copy === 'copied' ? t('apiKeys.copied') : t('apiKeys.copy')}
            </Button>
          </div>
          {copy === 'failed' ? (
            <Typography.Text type="danger" className="new-key__hint">
              {t('apiKeys.copyFailed')}
            </Typography.Text>
          ) : (
            <Typography.Text type="secondary" className="new-key__hint">
              {t('apiKeys.storeHint')}
            </Typography.Text>
          )}
        </div>
      ) : null}
    </Modal>
  );
}
