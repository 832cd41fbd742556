// The storage port of one area (docs/decisions/028, 034): Sign-up, sign-in, sign-out, sessions, throttles, passwords, users (admin).
// One async method per whole transaction or read; rows and results are plain values of the
// domain's types, the same on every engine.

// biome-ignore lint/suspicious/noEmptyInterface: methods arrive as the area moves behind the port.
export interface AuthStore {}
