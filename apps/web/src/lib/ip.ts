/** `::ffff:127.0.0.1` (an IPv4 address seen by an IPv6 socket) → `127.0.0.1`. */
export function formatIp(ip: string): string {
  return ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}
