import Foundation

/// The file types Parley accepts, recognised by their first bytes (never by name or declared
/// type alone, which a client controls).
enum FileKind: String, CaseIterable, Sendable {
    case jpeg, png, gif, webp, pdf, doc, docx, zip

    /// How many leading bytes `sniff` wants: enough to find a docx's part names in a zip's first entries.
    static let sniffLength = 8192

    var mimeType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .pdf: "application/pdf"
        case .doc: "application/msword"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .zip: "application/zip"
        }
    }

    /// Other names clients and browsers use for the same type.
    private var mimeAliases: Set<String> {
        switch self {
        case .jpeg: ["image/jpg", "image/pjpeg"]
        case .zip: ["application/x-zip-compressed", "application/x-zip", "multipart/x-zip"]
        default: []
        }
    }

    var extensions: Set<String> {
        switch self {
        case .jpeg: ["jpg", "jpeg", "jpe"]
        case .png: ["png"]
        case .gif: ["gif"]
        case .webp: ["webp"]
        case .pdf: ["pdf"]
        case .doc: ["doc"]
        case .docx: ["docx"]
        case .zip: ["zip"]
        }
    }

    /// Images get a thumbnail and their size.
    var isImage: Bool { [.jpeg, .png, .gif, .webp].contains(self) }

    func accepts(mimeType declared: String) -> Bool {
        declared == mimeType || mimeAliases.contains(declared)
    }

    /// The kind `head` (a file's first bytes, up to `sniffLength`) starts like; nil for anything else.
    static func sniff(_ head: [UInt8]) -> FileKind? {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        // OLE2 compound file: Word 97-2003 documents.
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .doc }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) {
            // A docx is a zip whose first entries name its content types and a word/ part.
            let isWord = contains(head, Array("[Content_Types].xml".utf8)) && contains(head, Array("word/".utf8))
            return isWord ? .docx : .zip
        }
        return nil
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}

/// Decides an upload's kind from its first bytes, its file name's extension and its declared
/// type: all three must agree, or it is 415.
enum FileTypeCheck {
    /// Types a client sends when it does not know better; they declare nothing.
    private static let undeclared: Set<String> = ["", "application/octet-stream", "binary/octet-stream"]

    static func kind(head: [UInt8], filename: String, declaredType: String?) throws(FileTypeError) -> FileKind {
        guard let sniffed = FileKind.sniff(head) else { throw .unsupported }
        // A docx is a zip too: named .zip it is accepted as one.
        let candidates: [FileKind] = sniffed == .docx ? [.docx, .zip] : [sniffed]
        let fileExtension = FileName.pathExtension(of: filename)
        let named = fileExtension.isEmpty ? candidates : candidates.filter { $0.extensions.contains(fileExtension) }
        guard let kind = named.first else { throw .mismatch("the file's content is not what its name .\(fileExtension) says") }
        let declared = (declaredType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard undeclared.contains(declared) || kind.accepts(mimeType: declared) else {
            throw .mismatch("the file's content is not the declared type \(declared)")
        }
        return kind
    }
}

enum FileTypeError: Error, Equatable {
    case unsupported
    case mismatch(String)

    var message: String {
        switch self {
        case .unsupported: "unsupported file type: jpg, png, gif, webp, pdf, doc, docx and zip are accepted"
        case .mismatch(let message): message
        }
    }
}
