import { useState } from 'react';
import type { TurnTools } from '../../lib/chat.ts';
import { type PluginChoice, usableChoice } from '../../lib/pickers.ts';
import { trpc } from '../../lib/trpc.ts';

/**
 * The composer's assistant and plugin: what the member chose, and what the next message is sent
 * with. A choice the plan no longer allows (a downgrade, an expiry) is dropped from what is sent
 * and shown, but remembered, so it comes back with the membership. The server checks again.
 */
export function useComposerTools() {
  const assistants = trpc.chat.assistants.useQuery();
  const plugins = trpc.chat.plugins.useQuery();
  const [assistantId, setAssistantId] = useState<string | null>(null);
  const [plugin, setPlugin] = useState<PluginChoice | null>(null);

  const usableAssistant = usableChoice(assistants.data, assistantId);
  const assistant = assistants.data?.find((row) => row.id === usableAssistant) ?? null;
  const usablePlugin = usableChoice(plugins.data, plugin?.id);
  const pluginRow = plugins.data?.find((row) => row.id === usablePlugin) ?? null;

  const tools: TurnTools = {
    assistant: assistant ? { id: assistant.id, name: assistant.name } : null,
    plugin:
      pluginRow && plugin
        ? {
            id: pluginRow.id,
            name: pluginRow.name,
            ...(plugin.options ? { options: plugin.options } : {}),
          }
        : null,
  };

  return {
    assistants,
    plugins,
    /** The assistant the next message goes to: it decides the model. */
    assistant,
    /** What the pickers show. */
    assistantValue: assistant?.id ?? null,
    pluginValue: pluginRow ? plugin : null,
    setAssistantId,
    setPlugin,
    tools,
  };
}

export type ComposerTools = ReturnType<typeof useComposerTools>;
