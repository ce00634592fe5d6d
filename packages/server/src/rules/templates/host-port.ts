/**
 * Prometheus's stripPort and stripDomain template functions, on Go's net.SplitHostPort,
 * net.ParseIP and net.JoinHostPort semantics.
 */

/** net.SplitHostPort; undefined where Go returns an error. */
export function splitHostPort(hostPort: string): { host: string; port: string } | undefined {
  const lastColon = hostPort.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  let host: string;
  let searchFrom = 0;
  let bracketEnd = 0;
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    // The ']' must be followed by the last ':'.
    if (end < 0 || end + 1 !== lastColon) return undefined;
    host = hostPort.slice(1, end);
    searchFrom = 1;
    bracketEnd = end + 1;
  } else {
    host = hostPort.slice(0, lastColon);
    if (host.includes(':')) return undefined;
  }
  if (hostPort.indexOf('[', searchFrom) >= 0 || hostPort.indexOf(']', bracketEnd) >= 0) return undefined;
  return { host, port: hostPort.slice(lastColon + 1) };
}

/** Dotted decimal, each part 0-255 without leading zeros (Go 1.17+). */
function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return (
    parts.length === 4 && parts.every((part) => /^(0|[1-9][0-9]{0,2})$/.test(part) && Number(part) <= 255)
  );
}

/** Number of 16-bit groups in one side of an IPv6 literal (an IPv4 tail counts 2); undefined if invalid. */
function ipv6Groups(side: string, ipv4TailAllowed: boolean): number | undefined {
  if (side === '') return 0;
  const groups = side.split(':');
  let count = 0;
  for (const [i, group] of groups.entries()) {
    if (ipv4TailAllowed && i === groups.length - 1 && group.includes('.')) {
      if (!isIPv4(group)) return undefined;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) count++;
    else return undefined;
  }
  return count;
}

/** net.ParseIP: an IPv4 or IPv6 literal (no zone). */
function isIPLiteral(host: string): boolean {
  if (isIPv4(host)) return true;
  const halves = host.split('::');
  if (halves.length > 2) return false;
  const left = ipv6Groups(halves[0] ?? '', halves.length === 1);
  const right = halves.length === 2 ? ipv6Groups(halves[1] ?? '', true) : 0;
  if (left === undefined || right === undefined) return false;
  // "::" stands for at least one group.
  return halves.length === 1 ? left === 8 : left + right <= 7;
}

/** net.JoinHostPort. */
function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** stripPort: the host of host:port, or the input when it is not one. */
export function stripPort(hostPort: string): string {
  return splitHostPort(hostPort)?.host ?? hostPort;
}

/** stripDomain: the first label of a host name, keeping any port; IP addresses unchanged. */
export function stripDomain(hostPort: string): string {
  const split = splitHostPort(hostPort);
  const host = split?.host ?? hostPort;
  if (isIPLiteral(host)) return hostPort;
  const first = host.split('.')[0] ?? '';
  return split !== undefined && split.port !== '' ? joinHostPort(first, split.port) : first;
}
