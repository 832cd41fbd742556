import { lazy, Suspense } from 'react';

// The renderer is a separate chunk (markdown parser, KaTeX, the highlighter's core): the first
// answer on screen fetches it, every other page never does.
const Markdown = lazy(() => import('./Markdown.tsx'));

/** Plain text in the answer's own box until the renderer has loaded. */
function Plain({ text }: { text: string }) {
  return (
    <div className="md md--plain" data-testid="answer-plain">
      {text}
    </div>
  );
}

/** An answer's markdown, rendered (lazily); plain text while the renderer loads. */
export function AnswerMarkdown({ text }: { text: string }) {
  return (
    <Suspense fallback={<Plain text={text} />}>
      <Markdown text={text} />
    </Suspense>
  );
}

/** Starts fetching the renderer before the first answer arrives (e.g. when the chat opens). */
export function preloadMarkdown(): void {
  void import('./Markdown.tsx');
}
