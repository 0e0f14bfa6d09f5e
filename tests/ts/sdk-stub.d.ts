// The part of `@barekey/sdk` the official typegen file (`--ts-mode sdk`) augments, so the SDK
// golden files type-check without installing the SDK.
declare module "@barekey/sdk" {
  export interface BarekeyGeneratedTypeMap {}
  export type BarekeyTemporalInstant = { readonly epochMilliseconds: number };
}
