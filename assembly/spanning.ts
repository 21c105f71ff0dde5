// Prim's minimum spanning tree of n points in R^d, with Euclidean distances computed as they are met: the
// first half of single linkage for peer scores (src/lib/cloud/linkage.ts), which is O(n² d) and a twentieth
// of a 1,000-host analysis. The order of work is linkage.ts's, so the tree is the same one edge for edge:
// each step scans the points in index order, a point's distance is the sum of its squared coordinate
// differences in coordinate order, then its square root, and a tie goes to the lower index. Two points are
// scanned at once (f64x2 lanes); every lane does the scalar code's operations in the scalar code's order.
//
// Input: points row-major f64 [n × d], all finite (the host checks). Output, step k = 0 … n − 2: the point
// added, the tree point it joins, and the distance, at `out` as f64 [3 × (n − 1)].
// Returns 0, or 1 when some step found no point (distances overflowed to Infinity): the host then runs its
// own code.

export function primTree(points: usize, n: i32, d: i32, out: usize): i32 {
  if (n < 2) return 0;
  const stride = <usize>((n + 1) & ~1);
  // Points not yet in the tree, packed into slots 0 … left − 1 (the last one moves into a freed slot), so
  // that each step scans only those. Per slot: coordinates column by column (two slots' values of one
  // coordinate side by side), the best distance to the tree (NaN in a free slot: it never compares less),
  // the tree point it came from, and the point's own index, which breaks ties as the index-order scan does.
  const columns = heap.alloc(max<usize>((stride * <usize>d) << 3, 16));
  const best = heap.alloc(stride << 3);
  const parent = heap.alloc(stride << 3);
  const id = heap.alloc(stride << 3);
  const current = heap.alloc(max<usize>((<usize>d) << 4, 16));
  for (let i: usize = 0; i < stride; i++) {
    const real = i < <usize>n;
    for (let f: usize = 0; f < <usize>d; f++) {
      store<f64>(columns + ((f * stride + i) << 3), real ? load<f64>(points + ((i * <usize>d + f) << 3)) : 0);
    }
    store<f64>(best + (i << 3), real ? Infinity : NaN);
    store<f64>(parent + (i << 3), -1);
    store<f64>(id + (i << 3), <f64>i);
  }
  let left = n;
  let slot = 0;
  for (let added = 0; added < n; added++) {
    // the point at `slot` joins the tree: its coordinates are the next distances' origin, its slot is freed
    for (let f: usize = 0; f < <usize>d; f++) {
      const value = load<f64>(columns + ((f * stride + <usize>slot) << 3));
      v128.store(current + (f << 4), f64x2.splat(value));
    }
    const from = f64x2.splat(load<f64>(id + ((<usize>slot) << 3)));
    left--;
    const last = <usize>left;
    const freed = <usize>slot;
    for (let f: usize = 0; f < <usize>d; f++) {
      store<f64>(columns + ((f * stride + freed) << 3), load<f64>(columns + ((f * stride + last) << 3)));
    }
    store<f64>(best + (freed << 3), load<f64>(best + (last << 3)));
    store<f64>(parent + (freed << 3), load<f64>(parent + (last << 3)));
    store<f64>(id + (freed << 3), load<f64>(id + (last << 3)));
    store<f64>(best + (last << 3), NaN);
    if (left == 0) break;

    let lowest = f64x2.splat(Infinity);
    // −1 until a lane has a candidate: a best of Infinity must not win a "tie" with the starting Infinity
    let lowestId = f64x2.splat(-1);
    let lowestSlot = f64x2.splat(-1);
    let slots = f64x2(0, 1);
    const two = f64x2.splat(2);
    for (let i: usize = 0; i < last; i += 2) {
      let s = f64x2.splat(0);
      for (let f: usize = 0; f < <usize>d; f++) {
        const diff = f64x2.sub(v128.load(columns + ((f * stride + i) << 3)), v128.load(current + (f << 4)));
        s = f64x2.add(s, f64x2.mul(diff, diff));
      }
      const dist = f64x2.sqrt(s);
      let b = v128.load(best + (i << 3));
      const closer = f64x2.lt(dist, b);
      b = v128.bitselect(dist, b, closer);
      v128.store(best + (i << 3), b);
      v128.store(parent + (i << 3), v128.bitselect(from, v128.load(parent + (i << 3)), closer));
      // the smallest distance, on a tie the lowest point index
      const ids = v128.load(id + (i << 3));
      const lower = v128.or(f64x2.lt(b, lowest), v128.and(f64x2.eq(b, lowest), f64x2.lt(ids, lowestId)));
      lowest = v128.bitselect(b, lowest, lower);
      lowestId = v128.bitselect(ids, lowestId, lower);
      lowestSlot = v128.bitselect(slots, lowestSlot, lower);
      slots = f64x2.add(slots, two);
    }
    const w0 = f64x2.extract_lane(lowest, 0);
    const w1 = f64x2.extract_lane(lowest, 1);
    const i0 = f64x2.extract_lane(lowestId, 0);
    const i1 = f64x2.extract_lane(lowestId, 1);
    const second = w1 < w0 || (w1 == w0 && i1 < i0);
    const w = second ? w1 : w0;
    slot = <i32>(second ? f64x2.extract_lane(lowestSlot, 1) : f64x2.extract_lane(lowestSlot, 0));
    // no point closer than Infinity: distances overflowed
    if (slot < 0) return 1;
    const k = <usize>added * 3;
    store<f64>(out + (k << 3), load<f64>(id + ((<usize>slot) << 3)));
    store<f64>(out + ((k + 1) << 3), load<f64>(parent + ((<usize>slot) << 3)));
    store<f64>(out + ((k + 2) << 3), w);
  }
  return 0;
}
