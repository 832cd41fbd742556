/** English: Account → API keys (the OpenAI-compatible /v1 API). */
export const enApiKeys = {
  'apiKeys.title': 'API keys',
  'apiKeys.detail': 'Call Tessera from your own code through its OpenAI-compatible API.',
  'apiKeys.name': 'Key name',
  'apiKeys.namePlaceholder': 'Name a new key, e.g. Production server',
  'apiKeys.nameRequired': 'Give the key a name.',
  'apiKeys.create': 'Create key',
  'apiKeys.empty': 'No API keys yet. Create one to use the API.',
  'apiKeys.emptyNoAccess': 'No API keys',
  'apiKeys.col.name': 'Name',
  'apiKeys.col.created': 'Created',
  'apiKeys.col.lastUsed': 'Last used',
  'apiKeys.col.status': 'Status',
  'apiKeys.statusActive': 'Active',
  'apiKeys.statusRevoked': 'Revoked',
  'apiKeys.revoke': 'Revoke',
  'apiKeys.revokeTitle': 'Revoke “{name}”?',
  'apiKeys.revokeDetail': 'Apps using this key stop working at once. This cannot be undone.',
  'apiKeys.revoked': 'Key revoked.',

  'apiKeys.newTitle': 'Your new API key',
  'apiKeys.onceTitle': 'Copy this key now. You won’t see it again.',
  'apiKeys.onceDetail':
    'Tessera keeps only a hash of it. If you lose the key, revoke it and create a new one.',
  'apiKeys.keyFor': 'Key “{name}”',
  'apiKeys.copy': 'Copy',
  'apiKeys.copied': 'Copied',
  'apiKeys.copyFailed': 'Could not copy automatically. Select the key and copy it by hand.',
  'apiKeys.storeHint':
    'Keep it somewhere safe, such as a secrets manager or an environment variable.',
  'apiKeys.done': 'Done',

  'apiKeys.howTitle': 'How to use',
  'apiKeys.howDetail':
    'Point the official openai SDK (or any OpenAI-compatible client) at Tessera.',
  'apiKeys.baseUrl': 'Base URL',
  'apiKeys.envHint':
    'Store the key in the TESSERA_API_KEY environment variable. Requests count against your plan’s quota and credits.',
} as const;
