// TOTP secrets are sealed at rest with AES-256-GCM (decision 024). The key is derived with HKDF
// from TWO_FACTOR_ENCRYPTION_KEY, so an operator may set any long random string; the user id is
// the additional data, so a sealed secret copied onto another user's row does not open.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Used when TWO_FACTOR_ENCRYPTION_KEY is unset, so `pnpm start` works with no configuration. It is
 * public (it is in the source), so a deployment sets its own; the server warns in production.
 */
export const DEV_TWO_FACTOR_KEY = 'tessera-development-two-factor-key';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretBox {
  seal(plain: Uint8Array, userId: string): Buffer;
  open(sealed: Uint8Array, userId: string): Uint8Array;
}

export function createSecretBox(secret: string): SecretBox {
  const key = Buffer.from(
    hkdfSync('sha256', secret, 'tessera', 'two-factor secret box v1', 32) as ArrayBuffer,
  );
  return {
    seal(plain, userId) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(userId));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    open(sealed, userId) {
      const bytes = Buffer.from(sealed);
      if (bytes[0] !== VERSION) throw new Error('Unknown two-factor secret format.');
      const iv = bytes.subarray(1, 1 + IV_BYTES);
      const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(userId));
      decipher.setAuthTag(tag);
      const body = bytes.subarray(1 + IV_BYTES + TAG_BYTES);
      return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
    },
  };
}

/** What the API needs to know about second factors; built once by the server. */
export interface TwoFactorSettings {
  box: SecretBox;
  /** Platform admins must have TOTP enabled before any admin procedure answers them. */
  adminRequired: boolean;
  /** The name authenticator apps show next to the account. */
  issuer: string;
}

export function twoFactorSettings(
  input: { encryptionKey?: string; adminRequired?: boolean; issuer?: string } = {},
): TwoFactorSettings {
  return {
    box: createSecretBox(input.encryptionKey ?? DEV_TWO_FACTOR_KEY),
    adminRequired: input.adminRequired ?? false,
    issuer: input.issuer ?? 'Tessera',
  };
}
