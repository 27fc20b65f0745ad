/// Invite codes: 12 characters of [0-9A-Za-z], about 71 bits from the system's CSPRNG. Short
/// enough to read out, too many to guess, and safe in a URL as they are.
enum InviteCode {
    static let length = 12
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Cheap syntax check before a lookup.
    static func isWellFormed(_ code: String) -> Bool {
        code.count == length && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}
