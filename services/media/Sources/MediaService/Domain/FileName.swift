import Foundation

/// File names as clients send them, made safe to store and to hand back in `Content-Disposition`.
enum FileName {
    static let maxBytes = 255
    static let fallback = "file"

    /// The last path component, without control or bidirectional-override characters, leading
    /// dots or surrounding blanks, and at most 255 UTF-8 bytes (the extension kept).
    static func sanitized(_ raw: String) -> String {
        let lastComponent = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let kept = lastComponent.unicodeScalars.filter { scalar in
            !(scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                || scalar.properties.generalCategory == .lineSeparator || scalar.properties.generalCategory == .paragraphSeparator)
        }
        var name = String(String.UnicodeScalarView(kept)).trimmingCharacters(in: .whitespaces)
        while name.hasPrefix(".") { name.removeFirst() }
        name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return fallback }
        guard name.utf8.count > maxBytes else { return name }
        let fileExtension = pathExtension(of: name)
        let suffix = fileExtension.isEmpty || fileExtension.utf8.count > 16 ? "" : "." + fileExtension
        var stem = String(name.dropLast(suffix.count))
        while stem.utf8.count + suffix.utf8.count > maxBytes { stem.removeLast() }
        return stem + suffix
    }

    /// The lowercased extension after the last dot, or "" when there is none.
    static func pathExtension(of name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    /// `Content-Disposition` for `name`: an ASCII fallback for old clients and the exact name
    /// percent-encoded as RFC 6266's `filename*`.
    static func contentDisposition(_ name: String, inline: Bool) -> String {
        let ascii = String(name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && scalar != "\"" && scalar != "\\" && scalar.value >= 0x20 && scalar.value != 0x7F ? Character(scalar) : "_"
        })
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(0x7F)))
        allowed.insert(charactersIn: "!#$&+-.^_`|~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "\(inline ? "inline" : "attachment"); filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
