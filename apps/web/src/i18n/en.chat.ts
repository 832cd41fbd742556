/** English: the Chat page (conversations, messages, model picker, usage meter, notices). */
export const enChat = {
  'chat.newChat': 'New chat',
  'chat.conversations': 'Conversations',
  'chat.history': 'History',
  'chat.noConversations': 'No conversations yet',
  'chat.noConversationsDetail': 'Start one with a message: it will be listed here.',
  'chat.group.today': 'Today',
  'chat.group.week': 'Previous 7 days',
  'chat.group.older': 'Older',
  'chat.rename': 'Rename',
  'chat.renameTitle': 'Rename conversation',
  'chat.renamePlaceholder': 'A short title',
  'chat.renamed': 'Conversation renamed.',
  'chat.delete': 'Delete',
  'chat.deleteTitle': 'Delete “{title}”?',
  'chat.deleteDetail': 'Its messages are deleted too. This cannot be undone.',
  'chat.deleted': 'Conversation deleted.',
  'chat.notFound': 'This conversation does not exist or was deleted.',
  'chat.loadingMessages': 'Loading messages…',

  'chat.welcome.title': 'What shall we talk about?',
  'chat.welcome.detail':
    'Ask anything. Your plan decides which models you can use, and every answer shows what it cost.',
  'chat.prompts.title': 'Try one of these',
  'chat.prompt.plans.label': 'Compare plans',
  'chat.prompt.plans.text': 'What is the difference between the Free and the Pro plan?',
  'chat.prompt.credits.label': 'Credits',
  'chat.prompt.credits.text': 'How are credits charged for an answer?',
  'chat.prompt.write.label': 'Write',
  'chat.prompt.write.text': 'Write a friendly welcome email for new members of a book club.',
  'chat.prompt.explain.label': 'Explain',
  'chat.prompt.explain.text': 'Explain streaming responses to someone who is not a developer.',

  'chat.placeholder': 'Message {model}…',
  'chat.placeholderNoModel': 'Your plan includes no model yet',
  'chat.placeholderPlain': 'Write a message…',
  'chat.hint': 'Enter to send · Shift + Enter for a new line · Esc stops an answer',
  'chat.send': 'Send',
  'chat.stop': 'Stop',

  'chat.model': 'Model',
  'chat.modelLocked': 'Not in your plan',
  'chat.modelNone': 'No model available',
  'chat.modelByAssistant':
    '{assistant} answers with {model}. Choose “No assistant” to pick a model.',

  'chat.tools': 'Assistant and plugin for the next message',
  'chat.turn.assistant': 'Answered as the assistant {assistant}',
  'chat.turn.plugin': 'Sent through the {plugin} plugin',
  'chat.turn.translate': '{plugin} into {language}',

  'chat.meter.today': 'Today: {quota} requests',
  'chat.meter.balance': 'Balance {balance} credits',
  'chat.meter.link': 'Open usage',

  'chat.charged': '{credits} credits',
  'chat.streaming': 'Writing…',
  'chat.fallback': 'Not enough credits for {from}: {to} answered instead.',
  'chat.status.cut_off': 'Cut off',
  'chat.status.aborted': 'Stopped',
  'chat.status.error': 'Failed',
  'chat.stoppedEmpty': 'Stopped before the answer began.',
  'chat.emptyAnswer': 'No text was written.',

  'chat.refused.seePlans': 'See plans',
  'chat.refused.seeCredits': 'See your credits',
  'chat.refused.backIn': 'Back in {time}',

  'chat.cutOff.markEnded': 'Your {mark} membership ended while this answer was being written.',
  'chat.cutOff.modelLost':
    'Your plan stopped including {model} while this answer was being written.',
  'chat.cutOff.generic': 'This answer was stopped: {reason}',
  'chat.cutOff.detail': 'The answer so far is kept. Only what was written is charged.',

  'chat.error.model': 'The model could not finish this answer.',
  'chat.error.connection': 'The connection was lost while this answer was being written.',
  'chat.error.retry': 'Send again',
} as const;
