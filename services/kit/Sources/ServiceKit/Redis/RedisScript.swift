import Crypto
import Foundation
import Synchronization

/// A Lua script Redis runs by its SHA-1: a call, `["EVALSHA", script.sha1, keyCount, keys...,
/// arguments...]`, sends the 40-character digest, not the script's text (hundreds of bytes for
/// Redis to read and hash on every call). Redis keeps loaded scripts until it restarts or is
/// flushed; `RedisClient` answers its `NOSCRIPT` by sending the call again with the script's text
/// (every script made is known by its digest).
public struct RedisScript: Sendable {
    public let source: String
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        sha1 = Insecure.SHA1.hash(data: Data(source.utf8)).map { String(format: "%02x", $0) }.joined()
        Self.known.withLock { $0[sha1] = source }
    }

    /// Every script made in this process, by digest, for a call Redis could not run by digest.
    private static let known = Mutex<[String: String]>([:])

    /// `command` sent again with the script's text (`EVAL`, which also makes Redis keep the
    /// script) when Redis answered it `NOSCRIPT`; nil for any other reply. Not a `SCRIPT LOAD`
    /// then the digest again: a flush between the two would lose the call.
    static func resend(after reply: RESPValue, of command: [String]) -> [String]? {
        guard case .error(let message) = reply, message.hasPrefix("NOSCRIPT"), command.first == "EVALSHA", command.count > 1,
            let source = known.withLock({ $0[command[1]] })
        else { return nil }
        return ["EVAL", source] + command.dropFirst(2)
    }
}
