export type { BackgroundCheckpointOptions, CheckpointStats } from './checkpoints.ts';
export * from './client.ts';
export * from './schema/index.ts';
