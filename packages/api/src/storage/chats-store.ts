// The storage port of one area (docs/decisions/028, 034): Threads, messages, stored answers, search, usage reads.
// One async method per whole transaction or read; rows and results are plain values of the
// domain's types, the same on every engine.

// biome-ignore lint/suspicious/noEmptyInterface: methods arrive as the area moves behind the port.
export interface ChatStore {}
