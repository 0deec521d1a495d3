import { memoByText } from './memo-by-text.js';

/**
 * True when `text` parses as an http(s) URL with a host, as Argo's IsUrl demands. Remembered per text: a
 * metric's address (and token URL) is checked each time the metric is read, on every measurement, and a
 * fleet has a handful of Prometheus addresses.
 */
export const isHttpUrl: (text: string) => boolean = memoByText((text) => {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
});
