import Hummingbird
import JWTKit

/// Where a verifier finds the public key for a token's `kid`: auth's JWKS over HTTP in every
/// service, auth's own key ring inside auth.
public protocol PublicKeyProvider: Sendable {
    /// nil when no key has that id (after a refresh, where the source supports one).
    func publicKey(kid: String) async throws -> EdDSA.PublicKey?
}

/// A JSON Web Key Set of Ed25519 public keys, as auth publishes it.
public struct JWKSDocument: ResponseCodable, Sendable {
    public struct Key: Codable, Sendable {
        public let kty: String
        public let crv: String
        public let x: String
        public let kid: String
        public let alg: String
        public let use: String

        public init(kid: String, publicKey: EdDSA.PublicKey) {
            self.kty = "OKP"
            self.crv = "Ed25519"
            self.x = publicKey.rawRepresentation.base64URLEncodedString()
            self.kid = kid
            self.alg = "EdDSA"
            self.use = "sig"
        }
    }

    public let keys: [Key]

    public init(keys: [Key]) {
        self.keys = keys
    }
}
