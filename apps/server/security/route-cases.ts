export const routeCases: Record<string, unknown> = {};
