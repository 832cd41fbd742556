// Another instance announced a newer auth epoch (decision 029): every cached member context built
// before it is stale, for browser sessions and API keys alike.
import type { Sqlite } from '@tessera/db';
import { forgetApiKeyMembersBefore } from './api-key-members.ts';
import { forgetSessionsBefore } from './auth-cache.ts';

export function forgetMemberContextsBefore(sqlite: Sqlite, epoch: number): number {
  return forgetSessionsBefore(sqlite, epoch) + forgetApiKeyMembersBefore(sqlite, epoch);
}
