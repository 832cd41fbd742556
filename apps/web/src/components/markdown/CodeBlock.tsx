import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { memo, useEffect, useRef, useState } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import { copyText } from '../../lib/clipboard.ts';
import { grammarFor, highlight, type Token } from './highlight.ts';

/** How often a block that is still being written is coloured again, at most. */
const REHIGHLIGHT_MS = 120;

interface Highlighted {
  code: string;
  tokens: Token[][];
}

/**
 * The colours for `code`: null until the grammar is loaded. While an answer streams the block
 * grows; it is re-coloured at most every REHIGHLIGHT_MS, and in between the last colouring is
 * kept for the prefix it covers (see `CodeLines`).
 */
function useHighlighted(code: string, grammar: string | null): Highlighted | null {
  const [result, setResult] = useState<Highlighted | null>(null);
  const lastRun = useRef(0);
  const sequence = useRef(0);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => {
    if (!grammar) return;
    // A throttle, not a debounce: a block that keeps growing is still re-coloured as it grows.
    const wait = Math.max(0, lastRun.current + REHIGHLIGHT_MS - Date.now());
    const timer = window.setTimeout(() => {
      lastRun.current = Date.now();
      const run = ++sequence.current;
      highlight(code, grammar)
        .then((tokens) => {
          // A slower, older colouring never replaces a newer one.
          if (mounted.current && run === sequence.current) setResult({ code, tokens });
        })
        .catch(() => undefined); // No colours: the plain text stays.
    }, wait);
    return () => window.clearTimeout(timer);
  }, [code, grammar]);
  return result;
}

function CodeLines({ code, highlighted }: { code: string; highlighted: Highlighted | null }) {
  if (!highlighted || !code.startsWith(highlighted.code)) return <>{code}</>;
  const tail = code.slice(highlighted.code.length);
  return (
    <>
      {highlighted.tokens.map((line, row) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their place.
        <span key={row} className="md-code__line">
          {line.map((token, column) => (
            <span
              // biome-ignore lint/suspicious/noArrayIndexKey: tokens neither.
              key={column}
              style={{
                color: token.color,
                fontStyle: token.italic ? 'italic' : undefined,
              }}
            >
              {token.content}
            </span>
          ))}
          {row < highlighted.tokens.length - 1 ? '\n' : null}
        </span>
      ))}
      {tail}
    </>
  );
}

/** A fenced code block: its language, a copy button, and the code (coloured once loaded). */
export const CodeBlock = memo(function CodeBlock({
  code,
  lang,
}: {
  code: string;
  lang: string | undefined;
}) {
  const { t } = useLocale();
  const grammar = grammarFor(lang);
  const highlighted = useHighlighted(code, grammar);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), 2000);
    return () => window.clearTimeout(timer);
  }, [copied]);
  return (
    <div className="md-code" data-testid="code-block" data-lang={lang ?? ''}>
      <div className="md-code__bar">
        <span className="md-code__lang" data-testid="code-lang">
          {lang || t('answer.code.plain')}
        </span>
        <Tooltip title={copied ? t('answer.copied') : t('answer.code.copy')}>
          <Button
            type="text"
            size="small"
            icon={copied ? <CheckOutlined /> : <CopyOutlined />}
            aria-label={t('answer.code.copy')}
            onClick={() => void copyText(code).then(setCopied)}
            data-testid="code-copy"
          />
        </Tooltip>
      </div>
      <pre className="md-code__pre" data-highlighted={highlighted ? 'true' : 'false'}>
        <code className={lang ? `language-${lang}` : undefined}>
          <CodeLines code={code} highlighted={highlighted} />
        </code>
      </pre>
    </div>
  );
});
