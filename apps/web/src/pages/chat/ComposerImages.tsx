import { CloseOutlined, LockOutlined, PictureOutlined } from '@ant-design/icons';
import { Button, Popover, Spin, Tooltip } from 'antd';
import { useRef } from 'react';
import { UpgradePrompt } from '../../components/UpgradePrompt.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { IMAGE_TYPES, type ImageAccess } from '../../lib/chatImages.ts';
import type { ImageAttachments } from './useImageAttachments.ts';

/**
 * The composer's image button (decision 026). With a model that reads images it opens the file
 * picker; with one that does not it is disabled and says which models can; when the plan has no
 * such model it is locked and shows what unlocks one, as the locked pickers do.
 */
export function AttachImageButton({
  access,
  attachments,
  modelName,
  disabled,
}: {
  access: ImageAccess;
  attachments: ImageAttachments;
  modelName: string;
  disabled: boolean;
}) {
  const { t } = useLocale();
  const input = useRef<HTMLInputElement>(null);
  if (access.kind === 'none') return null;
  if (access.kind === 'locked')
    return (
      <Popover
        trigger="click"
        content={
          <div className="composer-images__locked">
            <UpgradePrompt
              compact
              title={t('chat.images.lockedTitle')}
              denial={{
                code: 'MODEL_NOT_IN_PLAN',
                missing: { kind: 'model', model: access.model },
                unlock: access.unlock,
              }}
            />
          </div>
        }
      >
        <Tooltip title={t('chat.images.lockedHint')}>
          <Button
            type="text"
            icon={<PictureOutlined />}
            aria-label={t('chat.images.lockedTitle')}
            data-testid="chat-attach-locked"
          >
            <LockOutlined className="composer-images__lock" />
          </Button>
        </Tooltip>
      </Popover>
    );
  if (access.kind === 'pickModel')
    return (
      <Tooltip
        title={t('chat.images.pickModel', { model: modelName, models: access.models.join(', ') })}
      >
        {/* A disabled button gets no hover events: the span carries the tooltip. */}
        <span data-testid="chat-attach-unavailable">
          <Button
            type="text"
            icon={<PictureOutlined />}
            disabled
            aria-label={t('chat.images.attach')}
          />
        </span>
      </Tooltip>
    );
  return (
    <Tooltip title={`${t('chat.images.attach')} · ${t('chat.images.attachHint')}`}>
      <Button
        type="text"
        icon={<PictureOutlined />}
        aria-label={t('chat.images.attach')}
        disabled={disabled}
        onClick={() => input.current?.click()}
        data-testid="chat-attach"
      />
      <input
        ref={input}
        type="file"
        accept={IMAGE_TYPES.join(',')}
        multiple
        hidden
        data-testid="chat-image-input"
        onChange={(event) => {
          attachments.add([...(event.target.files ?? [])]);
          event.target.value = ''; // the same file may be picked again after a remove
        }}
      />
    </Tooltip>
  );
}

/**
 * The attached images as thumbnails with ×, what could not be attached and why, and — when the
 * model chosen since cannot read them — that they cannot be sent to it.
 */
export function ImageStrip({
  attachments,
  access,
  modelName,
}: {
  attachments: ImageAttachments;
  access: ImageAccess;
  modelName: string;
}) {
  const { t } = useLocale();
  const { images, problems } = attachments;
  if (images.length === 0 && problems.length === 0) return null;
  const blocked =
    images.length === 0 || access.kind === 'allowed'
      ? null
      : access.kind === 'pickModel'
        ? t('chat.images.pickModel', { model: modelName, models: access.models.join(', ') })
        : t('chat.images.lockedHint');
  return (
    <div className="composer-images" data-testid="composer-images">
      {images.length > 0 ? (
        <ul className="composer-images__list">
          {images.map((image) => (
            <li
              key={image.key}
              className="composer-images__item"
              data-testid="composer-image"
              data-status={image.status}
            >
              <img src={image.src} alt={image.name} className="composer-images__thumb" />
              {image.status === 'uploading' ? (
                <Spin size="small" className="composer-images__spin" />
              ) : null}
              <Button
                size="small"
                shape="circle"
                icon={<CloseOutlined />}
                className="composer-images__remove"
                aria-label={t('chat.images.remove', { name: image.name })}
                onClick={() => attachments.remove(image.key)}
                data-testid="composer-image-remove"
              />
            </li>
          ))}
        </ul>
      ) : null}
      {blocked ? (
        <div className="composer-images__problem" role="alert" data-testid="composer-image-blocked">
          {blocked}
        </div>
      ) : null}
      {problems.map((problem) => (
        <div
          key={problem.key}
          className="composer-images__problem"
          role="alert"
          data-testid="composer-image-error"
        >
          {problem.name}: {t(problem.code)}
        </div>
      ))}
    </div>
  );
}
