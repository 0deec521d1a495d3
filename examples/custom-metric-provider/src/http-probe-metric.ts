/** `metric.provider.httpProbe` of an AnalysisTemplate. */
export interface HttpProbeMetric {
  /** What to probe, e.g. `http://checkout-canary:8080/healthz`. Basic-auth credentials in it are sent, never shown. */
  url: string;
  /** Requests per measurement, 1–100; default 10. */
  requests?: number;
  /** Per request, a Go duration; default `5s`. */
  timeout?: string;
  /** Status codes counted as success; default 200–399. */
  successCodes?: number[];
}
