/** A fresh P-256 private key as a one-line JWK (`alg` ES256). */
export declare function generateSigningKey(): string;
