/// Invite codes: 12 characters of [0-9A-Za-z], about 71 bits from the system's CSPRNG. Short
/// enough to read out, too many to guess, and safe in a URL as they are.
enum InviteCode {
    static let length = 12
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// The syntax check before any lookup: its length in bytes first, so a huge path costs nothing.
    static func isWellFormed(_ code: String) -> Bool {
        code.utf8.count == length && code.utf8.allSatisfy { alphabetBytes.contains($0) }
    }

    private static let alphabetBytes = Set(alphabet.flatMap(\.utf8))
}
