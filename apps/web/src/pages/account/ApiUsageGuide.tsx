import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { Button, Segmented, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../../i18n/useT.ts';
import { type SnippetLanguage, snippetModel, usageSnippet } from '../../lib/apiKeys.ts';
import { copyText } from '../../lib/clipboard.ts';
import { trpc } from '../../lib/trpc.ts';

const LANGUAGE_LABELS: Record<SnippetLanguage, string> = {
  node: 'Node.js',
  python: 'Python',
  curl: 'curl',
};

/** A code block with a copy button in its corner. */
function CodeBlock({ code, testId }: { code: string; testId: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    if (await copyText(code)) {
      setCopied(true);
      window.setTimeout(() => setCopied(false), 2000);
    }
  };
  return (
    <div className="code-block">
      <pre className="code-block__code" data-testid={testId}>
        <code>{code}</code>
      </pre>
      <Tooltip title={copied ? t('apiKeys.copied') : t('apiKeys.copy')}>
        <Button
          size="small"
          type="text"
          className="code-block__copy"
          icon={copied ? <CheckOutlined /> : <CopyOutlined />}
          aria-label={t('apiKeys.copy')}
          onClick={() => void copy()}
        />
      </Tooltip>
    </div>
  );
}

/**
 * How to use a key: the OpenAI-compatible base URL (this server's origin + `/v1`) and a short
 * example with the official openai SDK, in Node, Python or curl.
 */
export function ApiUsageGuide({ baseUrl }: { baseUrl: string }) {
  const t = useT();
  const [language, setLanguage] = useState<SnippetLanguage>('node');
  const models = trpc.chat.models.useQuery();
  const model = snippetModel(models.data ?? []);
  return (
    <section className="api-guide" data-testid="api-guide">
      <div className="api-guide__head">
        <div>
          <Typography.Title level={5} className="api-guide__title">
            {t('apiKeys.howTitle')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('apiKeys.howDetail')}</Typography.Text>
        </div>
        <Segmented<SnippetLanguage>
          size="small"
          value={language}
          onChange={setLanguage}
          options={(Object.keys(LANGUAGE_LABELS) as SnippetLanguage[]).map((value) => ({
            value,
            label: LANGUAGE_LABELS[value],
          }))}
        />
      </div>
      <div className="api-guide__base">
        <span className="muted">{t('apiKeys.baseUrl')}</span>
        <Typography.Text code copyable={{ text: baseUrl }} data-testid="api-base-url">
          {baseUrl}
        </Typography.Text>
      </div>
      <CodeBlock code={usageSnippet(language, baseUrl, model)} testId="api-snippet" />
      <Typography.Text type="secondary" className="api-guide__note">
        {t('apiKeys.envHint')}
      </Typography.Text>
    </section>
  );
}
