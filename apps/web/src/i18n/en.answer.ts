/** English: what is done with answers and conversations (copy, search, export). */
export const enAnswer = {
  'answer.copy': 'Copy answer',
  'answer.copied': 'Copied',
  'answer.copyFailed': 'Could not copy. Select the text and copy it by hand.',
  'answer.code.copy': 'Copy code',
  'answer.code.plain': 'text',
  'chat.search.placeholder': 'Search titles and messages',
  'chat.search.empty': 'No conversation matches “{q}”.',
  'chat.search.results': 'Search results',
  'chat.export': 'Export',
  'chat.export.markdown': 'Export as Markdown',
  'chat.export.json': 'Export as JSON',
  'chat.export.failed': 'Could not export the conversation.',
  'chat.export.you': 'You',
  'chat.export.assistant': 'Assistant',
} as const;
