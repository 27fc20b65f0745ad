import Foundation
import HummingbirdOTP
import Testing
import TestSupport

@testable import AuthService

/// The one-time-password primitives auth relies on, against the RFC vectors.
@Suite struct OTPVectorTests {
    @Test func hotpMatchesRFC4226() throws {
        let vectors = try SharedVectors.load("otp/rfc4226-hotp.json")
        let secret = try #require(vectors["secret_ascii"] as? String)
        let rows = try #require(vectors["vectors"] as? [[String: Any]])
        #expect(rows.count == 10)
        for row in rows {
            let counter = try #require(row["counter"] as? Int)
            let expected = try #require(row["hotp"] as? String)
            #expect(String(format: "%06d", HOTP(secret: secret).compute(counter: UInt64(counter))) == expected)
        }
    }

    @Test func totpMatchesRFC6238InEveryMode() throws {
        let vectors = try SharedVectors.load("otp/rfc6238-totp.json")
        let seeds = try #require(vectors["seeds"] as? [String: [String: Any]])
        let rows = try #require(vectors["vectors"] as? [[String: Any]])
        #expect(rows.count == 18)
        for row in rows {
            let mode = try #require(row["mode"] as? String)
            let seed = try #require(seeds[mode]?["ascii"] as? String)
            let time = try #require(row["unix_time"] as? Int)
            let expected = try #require(row["totp"] as? String)
            let totp = TOTP(secret: seed, length: 8, hashFunction: try #require(OTPHashFunction(rawValue: mode)))
            #expect(String(format: "%08d", totp.compute(date: Date(timeIntervalSince1970: TimeInterval(time)))) == expected, "\(mode) at \(time)")
        }
    }

    @Test func base32OfTheSecretMatchesTheRFCSeedEncoding() throws {
        let vectors = try SharedVectors.load("otp/rfc4226-hotp.json")
        #expect(Base32.encode((try #require(vectors["secret_ascii"] as? String)).utf8) == vectors["secret_base32"] as? String)
    }
}
