/**
 * Pushes live samples to Prometheus' remote-write receiver
 * (`--web.enable-remote-write-receiver`). The protocol is protobuf in
 * snappy framing; both are written by hand here (a few dozen lines, with
 * snappy reduced to one uncompressed literal, which every decoder accepts)
 * rather than pulling in a protobuf toolchain for a test helper.
 */
export interface LiveSample {
  labels: Record<string, string>;
  value: number;
  /** Epoch milliseconds. */
  timestamp: number;
}

/** POSTs `samples` to `<address>/api/v1/write`; rejects with Prometheus' message when refused. */
export async function pushSamples(address: string, samples: LiveSample[], signal: AbortSignal): Promise<void> {
  const body = snappyLiteral(writeRequest(samples));
  const response = await fetch(`${address}/api/v1/write`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
    body,
    signal,
  });
  if (!response.ok) throw new Error(`remote write refused: HTTP ${response.status} ${await response.text()}`);
}

// prometheus.WriteRequest { repeated TimeSeries timeseries = 1 }
function writeRequest(samples: LiveSample[]): Uint8Array {
  return concat(samples.map((sample) => field(1, timeSeries(sample))));
}

// TimeSeries { repeated Label labels = 1; repeated Sample samples = 2 }; labels sorted by name.
function timeSeries(sample: LiveSample): Uint8Array {
  const labels = Object.entries(sample.labels).sort(([a], [b]) => (a < b ? -1 : 1));
  const parts = labels.map(([name, value]) => field(1, concat([field(1, utf8(name)), field(2, utf8(value))])));
  // Sample { double value = 1; int64 timestamp = 2 }
  const value = new Uint8Array(9);
  value[0] = (1 << 3) | 1;
  new DataView(value.buffer).setFloat64(1, sample.value, true);
  parts.push(field(2, concat([value, varint((2 << 3) | 0), varint(sample.timestamp)])));
  return concat(parts);
}

function field(number: number, bytes: Uint8Array): Uint8Array {
  return concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
}

function varint(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = BigInt(value);
  do {
    let byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0n);
  return Uint8Array.from(bytes);
}

// Snappy block format: uncompressed length, then one literal element holding everything.
function snappyLiteral(data: Uint8Array): Uint8Array {
  const n = data.length - 1;
  let tag: number[];
  if (n < 60) tag = [n << 2];
  else if (n < 0x100) tag = [60 << 2, n];
  else if (n < 0x10000) tag = [61 << 2, n & 0xff, n >> 8];
  else tag = [62 << 2, n & 0xff, (n >> 8) & 0xff, n >> 16];
  return concat([varint(data.length), Uint8Array.from(tag), data]);
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
