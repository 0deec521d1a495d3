/** The URL as it may appear in messages and metadata: any password replaced, the user kept. */
export function redactUrl(url: URL): string {
  if (!url.password) return url.href;
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href;
}
