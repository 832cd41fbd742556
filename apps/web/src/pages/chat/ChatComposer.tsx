import Sender from '@ant-design/x/es/sender';
import { type DragEvent, useState } from 'react';
import { AssistantPicker } from '../../components/pickers/AssistantPicker.tsx';
import { PluginPicker } from '../../components/pickers/PluginPicker.tsx';
import { useLocale } from '../../i18n/useT.ts';
import type { ImageAccess } from '../../lib/chatImages.ts';
import { AttachImageButton, ImageStrip } from './ComposerImages.tsx';
import type { ComposerTools } from './useComposerTools.ts';
import type { ImageAttachments } from './useImageAttachments.ts';

/**
 * Below the composer's text: the assistant and the plugin the next message goes with. Locked ones
 * are listed disabled with what unlocks them; the assistant picker is left out when no vendor
 * offers one.
 */
function ToolBar({ tools }: { tools: ComposerTools }) {
  const { t } = useLocale();
  const noAssistants = tools.assistants.data?.length === 0;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a toolbar of two pickers, not a form fieldset.
    <div className="chat-composer__tools" role="group" aria-label={t('chat.tools')}>
      {noAssistants ? null : (
        <AssistantPicker
          value={tools.assistantValue}
          onChange={tools.setAssistantId}
          assistants={tools.assistants.data}
          className="chat-composer__picker"
        />
      )}
      <PluginPicker
        value={tools.pluginValue}
        onChange={tools.setPlugin}
        plugins={tools.plugins.data}
        className="chat-composer__picker"
      />
    </div>
  );
}

const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

/**
 * The message box: Enter sends, Stop while an answer is written, the tools underneath. Images
 * (decision 026) come by the picture button, a paste or a drop, when the model reads them.
 */
export function ChatComposer({
  draft,
  onDraft,
  onSend,
  onStop,
  streaming,
  disabled,
  placeholder,
  tools,
  images,
  imageAccess,
  modelName,
}: {
  draft: string;
  onDraft: (text: string) => void;
  onSend: (text: string) => void;
  onStop: () => void;
  streaming: boolean;
  disabled: boolean;
  placeholder: string;
  tools: ComposerTools;
  images: ImageAttachments;
  imageAccess: ImageAccess;
  modelName: string;
}) {
  const { t } = useLocale();
  const [dragging, setDragging] = useState(false);
  const canAttach = imageAccess.kind === 'allowed' && !disabled;
  const drop = canAttach
    ? {
        onDragOver: (event: DragEvent) => {
          if (!hasFiles(event)) return;
          event.preventDefault();
          setDragging(true);
        },
        onDragLeave: () => setDragging(false),
        onDrop: (event: DragEvent) => {
          if (!hasFiles(event)) return;
          event.preventDefault();
          setDragging(false);
          images.add([...event.dataTransfer.files]);
        },
      }
    : {};
  return (
    <div
      className={dragging ? 'chat-composer chat-composer--dragging' : 'chat-composer'}
      data-testid="chat-composer"
      {...drop}
    >
      {dragging ? <div className="chat-composer__drop">{t('chat.images.drop')}</div> : null}
      <ImageStrip attachments={images} access={imageAccess} modelName={modelName} />
      <Sender
        prefix={
          <AttachImageButton
            access={imageAccess}
            attachments={images}
            modelName={modelName}
            disabled={disabled}
          />
        }
        onPasteFile={canAttach ? (files) => images.add([...files]) : undefined}
        value={draft}
        onChange={onDraft}
        onSubmit={onSend}
        loading={streaming}
        onCancel={onStop}
        disabled={disabled}
        placeholder={placeholder}
        autoSize={{ minRows: 1, maxRows: 6 }}
        suffix={(_, { components: { SendButton, LoadingButton } }) =>
          streaming ? (
            <LoadingButton
              data-testid="chat-stop"
              aria-label={t('chat.stop')}
              title={t('chat.stop')}
            />
          ) : (
            <SendButton
              type="primary"
              data-testid="chat-send"
              aria-label={t('chat.send')}
              title={t('chat.send')}
            />
          )
        }
        footer={<ToolBar tools={tools} />}
        data-testid="chat-sender"
      />
      <div className="chat-composer__hint">{t('chat.hint')}</div>
    </div>
  );
}
