import Foundation
import HummingbirdOTP

/// RFC 6238 codes with 30-second steps. A code is accepted for the current step or one step either
/// side (clock drift), and only for a step later than the last one accepted, so a code works once.
struct TOTPVerifier: Sendable {
    static let stepSeconds: Int64 = 30
    static let digits = 6

    /// The step a valid, unused `code` belongs to; nil when it matches none.
    static func matchingStep(code: String, secret: String, at now: Date, lastUsedStep: Int64) -> Int64? {
        guard code.count == digits, code.allSatisfy(\.isASCIINumber), let value = Int(code) else { return nil }
        let current = Int64(now.timeIntervalSince1970) / stepSeconds
        let generator = HOTP(secret: secret, length: digits)
        for step in [current - 1, current, current + 1] where step > lastUsedStep && step >= 0 {
            if generator.compute(counter: UInt64(step)) == value { return step }
        }
        return nil
    }

    /// A fresh secret: 32 random characters (about 190 bits). HummingbirdOTP keys HMAC with the
    /// secret's UTF-8 bytes; apps get those bytes in base32.
    static func makeSecret() -> String {
        let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in characters.randomElement(using: &generator)! })
    }

    static func appSecret(for secret: String) -> String {
        Base32.encode(secret.utf8)
    }

    static func otpauthURI(secret: String, username: String) -> String {
        TOTP(secret: secret, length: digits).createAuthenticatorURL(label: "Parley:\(username)", issuer: "Parley")
    }
}

extension Character {
    var isASCIINumber: Bool { isASCII && isNumber }
}
