// Where a request may go: hosts that never leave this machine, and Tencent Cloud's API hosts.

/** Hosts that never leave this machine: plain http and the stand-in are allowed there. */
export const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Tencent Cloud's API hosts, as a URL writes a hostname: lower case, IDN as punycode. */
export const TENCENT_HOST = /^([a-z0-9-]+\.)*tencentcloudapi\.com$/;
