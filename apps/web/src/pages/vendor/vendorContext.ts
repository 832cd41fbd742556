import { useOutletContext } from 'react-router';
import type { MyVendor } from '../../lib/trpc.ts';

export interface VendorContext {
  vendor: MyVendor;
  /** Owners and admins manage; staff only read (the server enforces it too). */
  canManage: boolean;
}

export const vendorPath = (tenantId: string, tab = 'marks') =>
  `/vendor/${encodeURIComponent(tenantId)}/${tab}`;

export function useVendor(): VendorContext {
  return useOutletContext<VendorContext>();
}
