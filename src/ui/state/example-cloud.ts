// A small built-in point cloud (a noisy circle beside a blob) whose diagram has one clear loop: what the
// topology view shows before any metrics are analysed. Seeded, so every load draws the same cloud.
export function exampleCloud(n = 96, seed = 7): { points: Float64Array; n: number; d: number } {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const points = new Float64Array(n * 2);
  const ring = Math.round(n * 0.75);
  for (let i = 0; i < n; i++) {
    if (i < ring) {
      const a = (2 * Math.PI * i) / ring;
      points[2 * i] = Math.cos(a) + 0.08 * gauss();
      points[2 * i + 1] = Math.sin(a) + 0.08 * gauss();
    } else {
      points[2 * i] = 2.6 + 0.25 * gauss();
      points[2 * i + 1] = 0.3 * gauss();
    }
  }
  return { points, n, d: 2 };
}
