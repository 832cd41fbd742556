/** The one spelling of an email address we store and look up. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
