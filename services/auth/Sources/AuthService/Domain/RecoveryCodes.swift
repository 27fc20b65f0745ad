import Crypto
import Foundation

/// One-time recovery codes: ten random codes shown once, stored as SHA-256 hashes (they carry 50
/// bits of randomness each, so a slow hash adds nothing).
enum RecoveryCodes {
    static let count = 10
    private static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    static func generate() -> [String] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let characters = (0..<10).map { _ in alphabet.randomElement(using: &generator)! }
            return String(characters[0..<5]) + "-" + String(characters[5..<10])
        }
    }

    /// Case, spaces and dashes do not matter when a code is typed back.
    static func hash(_ code: String) -> String {
        let normalized = code.lowercased().filter { $0 != "-" && !$0.isWhitespace }
        return SHA256.hash(data: Data(normalized.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func looksLikeRecoveryCode(_ code: String) -> Bool {
        code.lowercased().filter { $0 != "-" && !$0.isWhitespace }.count == 10
    }
}
