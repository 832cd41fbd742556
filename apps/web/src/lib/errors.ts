/**
 * Turns whatever a tRPC call threw into the few fields the UI branches on. The server's
 * errorFormatter puts them on `error.data` (see docs/api-contract-issue2.md); anything else
 * (a network failure, a proxy's HTML page) arrives without `data`.
 */
export interface AppError {
  /** Machine-readable reason, e.g. `INVALID_CREDENTIALS`; null when the server gave none. */
  domainCode: string | null;
  /** Input field name → message codes (`EMAIL_TAKEN`, `PASSWORD_TOO_SHORT`, …). */
  fieldErrors: Record<string, string[]>;
  /** Seconds until a rate-limited action may be retried (`TOO_MANY_ATTEMPTS`). */
  retryAfterSeconds: number | null;
  httpStatus: number | null;
  /** tRPC's own code (`UNAUTHORIZED`, `BAD_REQUEST`, …) when present. */
  trpcCode: string | null;
  /** True when no response from the server was read at all. */
  isNetworkError: boolean;
  /** Extra facts about the refusal (`resetsAt`, `needed`, `available`…); null when none. */
  details: Record<string, unknown> | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFieldErrors(value: unknown): Record<string, string[]> {
  if (!isRecord(value)) return {};
  const result: Record<string, string[]> = {};
  for (const [field, codes] of Object.entries(value)) {
    const list = Array.isArray(codes) ? codes : [codes];
    const strings = list.filter((code): code is string => typeof code === 'string' && code !== '');
    if (strings.length > 0) result[field] = strings;
  }
  return result;
}

function readNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function readString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function toAppError(error: unknown): AppError {
  const data = isRecord(error) && isRecord(error.data) ? error.data : null;
  if (!data) {
    return {
      domainCode: null,
      fieldErrors: {},
      retryAfterSeconds: null,
      httpStatus: null,
      trpcCode: null,
      isNetworkError: true,
      details: null,
    };
  }
  const retryAfter = readNumber(data.retryAfterSeconds);
  return {
    domainCode: readString(data.domainCode),
    fieldErrors: readFieldErrors(data.fieldErrors),
    retryAfterSeconds: retryAfter === null ? null : Math.max(0, Math.ceil(retryAfter)),
    httpStatus: readNumber(data.httpStatus),
    trpcCode: readString(data.code),
    isNetworkError: false,
    details: isRecord(data.details) ? data.details : null,
  };
}

export function hasFieldErrors(error: AppError): boolean {
  return Object.keys(error.fieldErrors).length > 0;
}

/** The session is gone (expired, revoked elsewhere): the app should show the sign-in page. */
export function isUnauthenticated(error: unknown): boolean {
  const appError = toAppError(error);
  if (appError.domainCode !== null) return appError.domainCode === 'UNAUTHENTICATED';
  // Without a domain code, fall back to tRPC's code (e.g. INVALID_CREDENTIALS is also a 401).
  return appError.trpcCode === 'UNAUTHORIZED' || appError.httpStatus === 401;
}
