// The storage port of one area (docs/decisions/028, 034): Two factors, SSO links, email verification, password reset, invites, sign-up mode, leaving.
// One async method per whole transaction or read; rows and results are plain values of the
// domain's types, the same on every engine.

// biome-ignore lint/suspicious/noEmptyInterface: methods arrive as the area moves behind the port.
export interface AccountStore {}
