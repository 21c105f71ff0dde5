// Distances between persistence diagrams: exact and auction Wasserstein, exact bottleneck, and the
// matching of essential points. The host (src/lib/tda/distance.ts) validates the diagrams, splits
// off essential points and places the finite ones in the arena; see matching-common.ts for the layout.
export { wassersteinExact } from './matching-exact';
export { wassersteinAuction, auctionPhases, auctionLowerBound } from './matching-auction';
export { bottleneckExact, essentialMatchCost, setBottleneckCandidateCap } from './matching-bottleneck';
export { lineDistances, lineBottleneck } from './matching-line';
