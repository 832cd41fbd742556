// A turn's actions (decision 020): on an answer, the flip between a prompt's answers ("‹ 2/3 ›")
// and Regenerate on the latest one; on a sent prompt, Edit, which resends it from a small dialog.
import { EditOutlined, LeftOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Input, Modal } from 'antd';
import { useState } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import type { Alternatives, AskedPrompt } from '../../lib/chat.ts';

export function AnswerActions({
  answerId,
  alternatives,
  canRegenerate,
  onShow,
  onRegenerate,
  busy,
}: {
  answerId: string | null;
  alternatives: ReadonlyMap<string, Alternatives>;
  canRegenerate: boolean;
  onShow: (answerId: string) => void;
  onRegenerate: () => void;
  busy: boolean;
}) {
  const { t } = useLocale();
  const own = answerId ? alternatives.get(answerId) : undefined;
  const go = (step: number) => {
    const id = own?.ids[own.index + step];
    if (id) onShow(id);
  };
  return (
    <span className="chat-turn-actions" data-testid="answer-actions">
      {own ? (
        <span className="chat-turn-actions__pager" data-testid="answer-alternatives">
          <Button
            size="small"
            type="text"
            icon={<LeftOutlined />}
            aria-label={t('chat.alternative.previous')}
            disabled={busy || own.index === 0}
            onClick={() => go(-1)}
            data-testid="answer-previous"
          />
          <span data-testid="answer-alternative-index">
            {t('chat.alternative', { index: own.index + 1, total: own.ids.length })}
          </span>
          <Button
            size="small"
            type="text"
            icon={<RightOutlined />}
            aria-label={t('chat.alternative.next')}
            disabled={busy || own.index === own.ids.length - 1}
            onClick={() => go(1)}
            data-testid="answer-next"
          />
        </span>
      ) : null}
      {canRegenerate ? (
        <Button
          size="small"
          type="text"
          icon={<ReloadOutlined />}
          disabled={busy}
          onClick={onRegenerate}
          data-testid="answer-regenerate"
        >
          {t('chat.regenerate')}
        </Button>
      ) : null}
    </span>
  );
}

export function EditPromptButton({
  prompt,
  onEdit,
  busy,
}: {
  prompt: AskedPrompt;
  onEdit: (prompt: AskedPrompt, text: string) => void;
  busy: boolean;
}) {
  const { t } = useLocale();
  const [text, setText] = useState<string | null>(null);
  const send = () => {
    if (text?.trim()) onEdit(prompt, text);
    setText(null);
  };
  return (
    <>
      <Button
        size="small"
        type="text"
        icon={<EditOutlined />}
        disabled={busy}
        onClick={() => setText(prompt.content)}
        data-testid="prompt-edit"
      >
        {t('chat.edit')}
      </Button>
      <Modal
        open={text !== null}
        title={t('chat.edit.title')}
        okText={t('chat.edit.send')}
        okButtonProps={{ disabled: !text?.trim(), ...{ 'data-testid': 'prompt-edit-send' } }}
        onOk={send}
        onCancel={() => setText(null)}
        destroyOnHidden
      >
        <p className="muted">{t('chat.edit.detail')}</p>
        <Input.TextArea
          value={text ?? ''}
          onChange={(e) => setText(e.target.value)}
          autoSize={{ minRows: 2, maxRows: 10 }}
          data-testid="prompt-edit-text"
        />
      </Modal>
    </>
  );
}
