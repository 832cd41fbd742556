// The answer renderer: react-markdown with GitHub's extensions (tables, task lists, strikethrough,
// autolinks) and math (remark-math + KaTeX), code blocks through `CodeBlock`. This module and what
// it imports form their own chunk, fetched the first time an answer is shown (see
// AnswerMarkdown.tsx); KaTeX's CSS and fonts come from the katex package in that chunk.
//
// Safety: a model's text is untrusted. Raw HTML is never rendered (no rehype-raw; `skipHtml`
// drops it), every URL goes through `safeUrl`, images are shown as links (a remote image would be
// fetched on sight — a tracking pixel, or a way to smuggle data out of a conversation), and KaTeX
// runs with `trust: false` so `\href{javascript:…}` and friends stay inert.
import 'katex/dist/katex.min.css';
import './markdown.css';
import {
  type ComponentProps,
  isValidElement,
  memo,
  type ReactElement,
  type ReactNode,
  useDeferredValue,
} from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeKatex from 'rehype-katex';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import { splitBlocks } from './blocks.ts';
import { CodeBlock } from './CodeBlock.tsx';
import { EXTERNAL_REL, isExternal, safeUrl } from './safeUrl.ts';

const remarkPlugins = [remarkGfm, [remarkMath, { singleDollarTextMath: true }]] as ComponentProps<
  typeof ReactMarkdown
>['remarkPlugins'];
const rehypePlugins = [
  [rehypeKatex, { throwOnError: false, strict: 'ignore', trust: false, output: 'htmlAndMathml' }],
] as ComponentProps<typeof ReactMarkdown>['rehypePlugins'];

function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return '';
}

const components: Components = {
  a({ href, children }) {
    const url = href ? safeUrl(href) : '';
    // A link whose URL was refused is its text, not a dead anchor.
    if (!url) return <span className="md-link--blocked">{children}</span>;
    return isExternal(url) ? (
      <a href={url} target="_blank" rel={EXTERNAL_REL}>
        {children}
      </a>
    ) : (
      <a href={url}>{children}</a>
    );
  },
  img({ src, alt }) {
    const url = typeof src === 'string' ? safeUrl(src) : '';
    const label = alt || url;
    if (!url) return <span className="md-link--blocked">{label}</span>;
    return (
      <a href={url} target="_blank" rel={EXTERNAL_REL} className="md-image-link">
        {label}
      </a>
    );
  },
  pre({ children }) {
    // `pre > code` is a fenced or indented block; its class carries the fence's language.
    const code = Array.isArray(children) ? children[0] : children;
    if (!isValidElement<{ className?: string; children?: ReactNode }>(code)) {
      return <pre>{children}</pre>;
    }
    const lang = /language-(\S+)/.exec(code.props.className ?? '')?.[1];
    return <CodeBlock code={textOf(code.props.children).replace(/\n$/, '')} lang={lang} />;
  },
  table({ children }) {
    // Wide tables scroll inside the answer instead of widening it.
    return (
      <div className="md-table">
        <table>{children}</table>
      </div>
    );
  },
};

/** One top-level block; memoised on its source, so finished blocks are not parsed again. */
const Block = memo(function Block({ source }: { source: string }) {
  return (
    <ReactMarkdown
      remarkPlugins={remarkPlugins}
      rehypePlugins={rehypePlugins}
      components={components}
      urlTransform={safeUrl}
      skipHtml
    >
      {source}
    </ReactMarkdown>
  );
});

/**
 * Markdown as the chat shows it; re-rendered block by block while an answer streams in. The text
 * is a deferred value: a token arriving re-renders the thread at once with the blocks already on
 * screen, and parsing the new text happens in an interruptible background render, so a burst of
 * tokens never becomes one long task.
 */
export const Markdown = memo(function Markdown({ text }: { text: string }): ReactElement {
  const deferred = useDeferredValue(text);
  const blocks = splitBlocks(deferred);
  return (
    <div className="md" data-testid="answer-markdown">
      {blocks.map((source, index) => (
        // Each block is its own box with `content-visibility: auto` (markdown.css), so the browser
        // lays out and paints only the blocks in view: a long answer's growing last block no
        // longer re-lays out the thousands of lines above it on every streamed frame.
        // biome-ignore lint/suspicious/noArrayIndexKey: a block's place is its identity while streaming.
        <div className="md-block" key={index}>
          <Block source={source} />
        </div>
      ))}
    </div>
  );
});

export default Markdown;
