// Types for the `mobileconfig` npm package (benchmark baseline only; it ships none).
declare module 'mobileconfig' {
  /** Signing keys and options of mobileconfig's `sign`, all PEM. */
  export interface MobileconfigSignOptions {
    readonly key: string;
    readonly cert: string;
    readonly ca?: readonly string[];
    readonly hashAlg?: string;
    readonly sigAlg?: string;
    readonly signingTime?: boolean;
  }
  const mobileconfig: {
    sign(value: string | Buffer, options: MobileconfigSignOptions, callback: (err: Error | null, der?: Buffer) => void): void;
  };
  export default mobileconfig;
}
