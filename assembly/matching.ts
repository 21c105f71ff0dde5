// Placeholder until diagram matching lands.
export function matchingVersion(): i32 {
  return 0;
}
