/** The keys a caller is known by: its client IP, and its principal when that is not the IP. */
export function callerKeys(clientIp: string, principalId: string): string[] {
  const ip = `ip:${clientIp}`;
  return principalId === ip ? [ip] : [ip, principalId];
}
