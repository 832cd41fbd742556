import type { enAnswer } from './en.answer.ts';

export const zhCNAnswer: { readonly [K in keyof typeof enAnswer]: string } = {
  'answer.copy': '复制回答',
  'answer.copied': '已复制',
  'answer.copyFailed': '无法复制，请手动选中文本复制。',
  'answer.code.copy': '复制代码',
  'answer.code.plain': '文本',
  'chat.search.placeholder': '搜索标题和消息',
  'chat.search.empty': '没有与“{q}”匹配的对话。',
  'chat.search.results': '搜索结果',
  'chat.export': '导出',
  'chat.export.markdown': '导出为 Markdown',
  'chat.export.json': '导出为 JSON',
  'chat.export.failed': '无法导出该对话。',
  'chat.export.you': '你',
  'chat.export.assistant': '助手',
};
