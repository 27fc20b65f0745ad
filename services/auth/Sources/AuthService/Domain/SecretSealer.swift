import Crypto
import Foundation
import ServiceKit

/// Secrets auth must read back (signing keys, TOTP secrets) are sealed with AES-GCM before they
/// reach Postgres, under keys from the environment (`AUTH_ENCRYPTION_KEYS`). The first key
/// seals; every key opens, which is how keys rotate. A sealed value is
/// `sealed:<kid>:<base64 of nonce, ciphertext and tag>`. Its associated data names the row it
/// belongs to and the key, so a ciphertext copied into another row or column does not open.
struct SecretSealer: Sendable {
    struct Key: Sendable {
        let id: String
        let key: SymmetricKey
    }

    /// The sealing key first.
    let keys: [Key]

    static let prefix = "sealed:"

    /// The key of development mode: everyone knows it, so nothing sealed with it is protected.
    /// Its 32 bytes are the text `parley development key, public!!` (README).
    static let development = SecretSealer(keys: [Key(id: "development", key: SymmetricKey(data: Data("parley development key, public!!".utf8)))])

    private init(keys: [Key]) {
        self.keys = keys
    }

    /// `kid:<base64 of 32 bytes>` entries, comma-separated; anything else stops startup.
    init(configured: String) throws {
        var keys: [Key] = []
        for entry in configured.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, Self.isKeyID(parts[0]) else {
                throw StartupError("AUTH_ENCRYPTION_KEYS: each entry is kid:<base64 key>, the kid 1-32 letters, digits, - or _")
            }
            guard let bytes = Data(base64Encoded: parts[1]), bytes.count == 32 else {
                throw StartupError("AUTH_ENCRYPTION_KEYS: the key of \"\(parts[0])\" is not the base64 of 32 bytes")
            }
            guard !keys.contains(where: { $0.id == parts[0] }) else {
                throw StartupError("AUTH_ENCRYPTION_KEYS: \"\(parts[0])\" is listed twice")
            }
            keys.append(Key(id: parts[0], key: SymmetricKey(data: bytes)))
        }
        guard !keys.isEmpty else { throw StartupError("AUTH_ENCRYPTION_KEYS holds no key") }
        self.keys = keys
    }

    private static func isKeyID(_ text: String) -> Bool {
        (1...32).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// Why a stored value does not open.
    enum Failure: Error, CustomStringConvertible {
        case notSealed
        case unknownKey(String)
        case wrongKeyOrRow(String)

        var description: String {
            switch self {
            case .notSealed: "it is not sealed"
            case .unknownKey(let id): "it is sealed under key \"\(id)\", which AUTH_ENCRYPTION_KEYS does not hold"
            case .wrongKeyOrRow(let id): "it does not open with key \"\(id)\" (a different key under that name, or a value moved from another row)"
            }
        }
    }

    /// `secret` sealed under the current key for `row` (what it belongs to, e.g. `users.totp_secret:<id>`).
    func seal(_ secret: String, for row: String) throws -> String {
        let key = keys[0]
        let box = try AES.GCM.seal(Data(secret.utf8), using: key.key, authenticating: Self.associatedData(row: row, keyID: key.id))
        guard let combined = box.combined else { throw AppError.internal("AES-GCM produced no combined box") }
        return Self.prefix + key.id + ":" + combined.base64EncodedString()
    }

    func open(_ stored: String, for row: String) throws -> String {
        guard stored.hasPrefix(Self.prefix) else { throw Failure.notSealed }
        let parts = stored.dropFirst(Self.prefix.count).split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw Failure.notSealed }
        guard let key = keys.first(where: { $0.id == parts[0] }) else { throw Failure.unknownKey(parts[0]) }
        do {
            guard let combined = Data(base64Encoded: parts[1]) else { throw Failure.wrongKeyOrRow(key.id) }
            let plain = try AES.GCM.open(
                try AES.GCM.SealedBox(combined: combined), using: key.key, authenticating: Self.associatedData(row: row, keyID: key.id))
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw Failure.wrongKeyOrRow(key.id)
        }
    }

    /// The stored value sealed under the current key: a plaintext one (stored before sealing
    /// began) is sealed, one under an older key opened and sealed again; nil when it already is
    /// (after opening it: a different key under the current name fails here).
    func resealed(_ stored: String, for row: String) throws -> String? {
        guard stored.hasPrefix(Self.prefix) else { return try seal(stored, for: row) }
        let secret = try open(stored, for: row)
        return stored.hasPrefix(currentPrefix) ? nil : try seal(secret, for: row)
    }

    /// What every value sealed under the current key starts with.
    var currentPrefix: String { Self.prefix + keys[0].id + ":" }

    private static func associatedData(row: String, keyID: String) -> Data {
        Data("\(row)|\(keyID)".utf8)
    }
}
