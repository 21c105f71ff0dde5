// Placeholder until the Vietoris–Rips engine lands.
export function phVersion(): i32 {
  return 0;
}
