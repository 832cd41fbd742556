/**
 * Splits markdown into its top-level blocks so that a streaming answer re-renders only the block
 * being written: the finished ones keep their source string and a memoised renderer skips them.
 *
 * A block ends at a blank line, except inside a code fence (``` or ~~~, closed by a fence of the
 * same character at least as long) or a `$$` math block, and except before an indented line (a
 * list item's continuation). The blocks joined with blank lines render as the whole text did; an
 * unterminated fence stays one block to the end, so it shows as a growing code block.
 */
export function splitBlocks(markdown: string): string[] {
  const lines = markdown.split('\n');
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: { char: string; length: number } | null = null;
  let math = false;

  const flush = () => {
    if (current.some((line) => line.trim() !== '')) blocks.push(current.join('\n'));
    current = [];
  };

  for (const [index, line] of lines.entries()) {
    const trimmed = line.trimStart();
    if (fence) {
      current.push(line);
      const close = /^(`{3,}|~{3,})\s*$/.exec(trimmed);
      if (close?.[1] && close[1][0] === fence.char && close[1].length >= fence.length) {
        fence = null;
      }
      continue;
    }
    if (math) {
      current.push(line);
      if (trimmed.trimEnd().endsWith('$$')) math = false;
      continue;
    }
    const open = /^(`{3,}|~{3,})/.exec(trimmed);
    if (open?.[1]) {
      fence = { char: open[1][0]!, length: open[1].length };
      current.push(line);
      continue;
    }
    if (trimmed.startsWith('$$')) {
      current.push(line);
      // `$$x$$` on one line opens and closes.
      if (!(trimmed.trimEnd().length > 2 && trimmed.trimEnd().slice(2).endsWith('$$'))) {
        math = true;
      }
      continue;
    }
    if (line.trim() === '') {
      const next = nextNonBlank(lines, index + 1);
      // A blank line before an indented line continues a list item or a paragraph's list.
      if (next !== undefined && /^\s+\S/.test(next)) {
        current.push(line);
        continue;
      }
      flush();
      continue;
    }
    current.push(line);
  }
  flush();
  return blocks;
}

/**
 * The first non-blank line from `from` on. A scan, not `slice().find()`: this runs at every blank
 * line of an answer on every streamed frame, and copying the rest of the lines each time made the
 * split quadratic in the answer's length.
 */
function nextNonBlank(lines: string[], from: number): string | undefined {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() !== '') return line;
  }
  return undefined;
}
