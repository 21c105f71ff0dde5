// W2 and bottleneck between two births-0 diagrams (H0 of Rips filtrations without the essential class): the
// dynamic programmes of src/lib/timeline/h0.ts over the two sorted death lists, moved here because they are
// a tenth of a fleet's CPU time. The arithmetic is the same, operation for operation (f64 adds, products,
// compares), so the results are the same doubles.
//
// Input layout, one f64 block placed by the host:
//   deaths of A [n], halves of A [n], halves squared of A [n], then the same three for B [m]
// (sorted ascending, finite, halves +0 rather than −0).

let bottleneckResult: f64 = 0;

/** The bottleneck distance computed by the last lineDistances call. */
export function lineBottleneck(): f64 {
  return bottleneckResult;
}

// Minima and maxima by comparison, as h0.ts picks them: the costs are finite and never −0 there, so any
// order of comparisons gives the same double. The vector forms (pmin: b < a ? b : a) compile to one
// instruction without a branch; as branches they were mispredicted on about every other cell.
function min3(a: f64, b: f64, c: f64): f64 {
  return f64x2.extract_lane(f64x2.pmin(f64x2.pmin(f64x2.splat(a), f64x2.splat(b)), f64x2.splat(c)), 0);
}

function larger(a: f64, b: f64): f64 {
  return f64x2.extract_lane(f64x2.pmax(f64x2.splat(a), f64x2.splat(b)), 0);
}

// Rows of the programme done together, skewed: row r of a strip works on column j − r while row 0 works on
// column j. Each cell needs its left neighbour, so one row is a chain of dependent adds and compares; four
// rows at once keep four chains (eight with the bottleneck) in flight. Every cell still gets exactly the
// operations, on exactly the inputs, of the row-by-row order.
const STRIP = 4;

/** W2 between the two lists; with `withBottleneck` the bottleneck too (read with lineBottleneck). */
export function lineDistances(block: usize, n: i32, m: i32, withBottleneck: bool): f64 {
  const x = block;
  const xHalf = x + ((<usize>n) << 3);
  const xSq = xHalf + ((<usize>n) << 3);
  const y = xSq + ((<usize>n) << 3);
  const yHalf = y + ((<usize>m) << 3);
  const ySq = yHalf + ((<usize>m) << 3);
  const rowBytes = (<usize>(m + 1)) << 3;
  // prev[j]: best cost matching x[0..i) with y[0..j); the bottleneck programme keeps its own rows
  let prev = heap.alloc(rowBytes);
  let cur = heap.alloc(rowBytes);
  let prevB = heap.alloc(rowBytes);
  let curB = heap.alloc(rowBytes);
  store<f64>(prev, 0);
  store<f64>(prevB, 0);
  for (let j = 1; j <= m; j++) {
    const at = (<usize>j) << 3;
    store<f64>(prev + at, load<f64>(prev + at - 8) + load<f64>(ySq + at - 8));
    store<f64>(prevB + at, larger(load<f64>(prevB + at - 8), load<f64>(yHalf + at - 8)));
  }
  let i = 0;
  for (; i + STRIP <= n; i += STRIP) {
    const at = (<usize>i) << 3;
    const x0 = load<f64>(x + at);
    const x1 = load<f64>(x + at, 8);
    const x2 = load<f64>(x + at, 16);
    const x3 = load<f64>(x + at, 24);
    const c0 = load<f64>(xSq + at);
    const c1 = load<f64>(xSq + at, 8);
    const c2 = load<f64>(xSq + at, 16);
    const c3 = load<f64>(xSq + at, 24);
    const h0 = load<f64>(xHalf + at);
    const h1 = load<f64>(xHalf + at, 8);
    const h2 = load<f64>(xHalf + at, 16);
    const h3 = load<f64>(xHalf + at, 24);
    // l_r: row r's latest cell (its left neighbour next); u_r: the cell above that one (its diagonal next)
    const u0 = load<f64>(prev);
    let l0 = u0 + c0;
    let u1 = l0;
    let l1 = l0 + c1;
    let u2 = l1;
    let l2 = l1 + c2;
    let u3 = l2;
    let l3 = l2 + c3;
    store<f64>(cur, l3);
    const ub0 = load<f64>(prevB);
    let lb0 = larger(ub0, h0);
    let ub1 = lb0;
    let lb1 = larger(lb0, h1);
    let ub2 = lb1;
    let lb2 = larger(lb1, h2);
    let ub3 = lb2;
    let lb3 = larger(lb2, h3);
    store<f64>(curB, lb3);
    let up0 = u0;
    let upB0 = ub0;
    for (let t = 1; t < m + STRIP; t++) {
      // rows from the bottom: row r reads row r − 1's cell from the step before
      const j3 = t - 3;
      if (j3 >= 1 && j3 <= m) {
        const k = (<usize>(j3 - 1)) << 3;
        const d = x3 - load<f64>(y + k);
        const best = min3(l2 + c3, l3 + load<f64>(ySq + k), u3 + d * d);
        store<f64>(cur + k, best, 8);
        u3 = l2;
        l3 = best;
        if (withBottleneck) {
          const bestB = min3(larger(lb2, h3), larger(lb3, load<f64>(yHalf + k)), larger(ub3, abs(d)));
          store<f64>(curB + k, bestB, 8);
          ub3 = lb2;
          lb3 = bestB;
        }
      }
      const j2 = t - 2;
      if (j2 >= 1 && j2 <= m) {
        const k = (<usize>(j2 - 1)) << 3;
        const d = x2 - load<f64>(y + k);
        const best = min3(l1 + c2, l2 + load<f64>(ySq + k), u2 + d * d);
        u2 = l1;
        l2 = best;
        if (withBottleneck) {
          const bestB = min3(larger(lb1, h2), larger(lb2, load<f64>(yHalf + k)), larger(ub2, abs(d)));
          ub2 = lb1;
          lb2 = bestB;
        }
      }
      const j1 = t - 1;
      if (j1 >= 1 && j1 <= m) {
        const k = (<usize>(j1 - 1)) << 3;
        const d = x1 - load<f64>(y + k);
        const best = min3(l0 + c1, l1 + load<f64>(ySq + k), u1 + d * d);
        u1 = l0;
        l1 = best;
        if (withBottleneck) {
          const bestB = min3(larger(lb0, h1), larger(lb1, load<f64>(yHalf + k)), larger(ub1, abs(d)));
          ub1 = lb0;
          lb1 = bestB;
        }
      }
      if (t <= m) {
        const k = (<usize>(t - 1)) << 3;
        const above = load<f64>(prev + k, 8);
        const d = x0 - load<f64>(y + k);
        const best = min3(above + c0, l0 + load<f64>(ySq + k), up0 + d * d);
        up0 = above;
        l0 = best;
        if (withBottleneck) {
          const aboveB = load<f64>(prevB + k, 8);
          const bestB = min3(larger(aboveB, h0), larger(lb0, load<f64>(yHalf + k)), larger(upB0, abs(d)));
          upB0 = aboveB;
          lb0 = bestB;
        }
      }
    }
    let swap = prev;
    prev = cur;
    cur = swap;
    swap = prevB;
    prevB = curB;
    curB = swap;
  }
  for (; i < n; i++) {
    const xi = load<f64>(x + ((<usize>i) << 3));
    const xc = load<f64>(xSq + ((<usize>i) << 3));
    const xh = load<f64>(xHalf + ((<usize>i) << 3));
    let diagonal = load<f64>(prev);
    let left = diagonal + xc;
    store<f64>(cur, left);
    let diagonalB = load<f64>(prevB);
    let leftB = larger(diagonalB, xh);
    store<f64>(curB, leftB);
    for (let j = 1; j <= m; j++) {
      const at = (<usize>j) << 3;
      const up = load<f64>(prev + at);
      const d = xi - load<f64>(y + at - 8);
      const best = min3(up + xc, left + load<f64>(ySq + at - 8), diagonal + d * d);
      store<f64>(cur + at, best);
      left = best;
      diagonal = up;
      if (withBottleneck) {
        const upB = load<f64>(prevB + at);
        const bestB = min3(larger(upB, xh), larger(leftB, load<f64>(yHalf + at - 8)), larger(diagonalB, abs(d)));
        store<f64>(curB + at, bestB);
        leftB = bestB;
        diagonalB = upB;
      }
    }
    let t = prev;
    prev = cur;
    cur = t;
    t = prevB;
    prevB = curB;
    curB = t;
  }
  bottleneckResult = load<f64>(prevB + ((<usize>m) << 3));
  return sqrt<f64>(load<f64>(prev + ((<usize>m) << 3)));
}
