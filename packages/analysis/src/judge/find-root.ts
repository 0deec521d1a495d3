/** Kayenta's root finder settings: absolute tolerance 1e-4, at most 1000 steps. */
const TOLERANCE = 1e-4;
const MAX_ITERATIONS = 1000;
const EPSILON = 2.220446049250313e-16;

/**
 * Brent's method (the `zeroin` of R and Kayenta's BrentSolver): a zero of `f`
 * in [a, b], given f(a) and f(b) of opposite signs. Same steps and stopping
 * rule as Kayenta, so that the confidence bounds match its results to 1e-6.
 * After MAX_ITERATIONS it returns the best point found, as Kayenta does.
 */
export function findRoot(a: number, b: number, fa: number, fb: number, f: (x: number) => number): number {
  if (fa === 0) return a;
  if (fb === 0) return b;
  let c = a;
  let fc = fa;
  for (let iteration = 0; iteration <= MAX_ITERATIONS; iteration++) {
    const previousStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      // Keep b the best guess so far, c the other end of the bracket.
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolerance = 2 * EPSILON * Math.abs(b) + TOLERANCE / 2;
    let step = (c - b) / 2;
    if (Math.abs(step) <= tolerance || fb === 0) return b;

    if (Math.abs(previousStep) >= tolerance && Math.abs(fa) > Math.abs(fb)) {
      // Interpolate: secant when only two points are known, inverse quadratic otherwise.
      const cb = c - b;
      let p: number;
      let q: number;
      if (a === c) {
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        const qa = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1));
        q = (qa - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      // Accept the interpolation only when it stays well inside the bracket and shrinks fast enough.
      if (p < 0.75 * cb * q - Math.abs(tolerance * q) / 2 && p < Math.abs((previousStep * q) / 2)) step = p / q;
    }
    if (Math.abs(step) < tolerance) step = step > 0 ? tolerance : -tolerance;
    a = b;
    fa = fb;
    b += step;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return b;
}
