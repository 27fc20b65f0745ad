import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// Files of every accepted type, made at run time: images by the `vips` command (libvips-tools),
/// the others by hand. The EICAR test file is built in memory and never written to disk.
public enum Fixtures {
    /// An image of `format` (`png`, `jpg`, `webp`, `gif`) made by `vips black`.
    public static func image(_ format: String, width: Int, height: Int) throws -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parley-fixture-\(UUID().uuidString).\(format)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try run(["vips", "black", path, String(width), String(height), "--bands", "3"])
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// A JPEG stored `width` x `height` whose EXIF orientation (6) says to turn it a quarter
    /// clockwise for display: it shows as `height` x `width`.
    public static func rotatedJPEG(width: Int, height: Int) throws -> Data {
        let plain = try image("jpg", width: width, height: height)
        // A minimal EXIF APP1 segment: a big-endian TIFF header and one IFD entry, Orientation = 6.
        var tiff: [UInt8] = Array("MM".utf8) + [0x00, 0x2A, 0x00, 0x00, 0x00, 0x08]
        tiff += [0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        return Data(plain.prefix(2)) + Data(segment) + Data(plain.dropFirst(2))
    }

    public static let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)

    /// The OLE2 compound-file signature a Word 97-2003 document starts with, then padding.
    public static let doc = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))

    public static let docx = zip([
        ("[Content_Types].xml", Data("<?xml version=\"1.0\"?><Types/>".utf8)),
        ("word/document.xml", Data("<?xml version=\"1.0\"?><document/>".utf8)),
    ])

    public static let plainZip = zip([("notes.txt", Data("hello from a zip".utf8))])

    /// An x86-64 ELF header: an executable whatever its name says.
    public static let executable = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + [UInt8](repeating: 0, count: 120))

    /// The 68-byte EICAR anti-malware test file (shared/vectors/README.md), built in memory.
    public static var eicar: Data {
        let text = #"X5O!P%@AP[4\PZX54(P^)7CC)7}$"# + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
        precondition(text.utf8.count == 68)
        return Data(text.utf8)
    }

    /// A zip of stored (uncompressed) entries, CRCs and central directory included.
    public static func zip(_ entries: [(name: String, data: Data)]) -> Data {
        var body = Data()
        var central = Data()
        for (name, data) in entries {
            let offset = UInt32(body.count)
            let crc = crc32(data)
            let header: (UInt32) -> Data = { signature in
                var d = Data()
                d.append(le32(signature))
                if signature == 0x0201_4B50 { d.append(le16(20)) }
                d.append(le16(20)); d.append(le16(0)); d.append(le16(0)); d.append(le16(0)); d.append(le16(0))
                d.append(le32(crc)); d.append(le32(UInt32(data.count))); d.append(le32(UInt32(data.count)))
                d.append(le16(UInt16(name.utf8.count))); d.append(le16(0))
                if signature == 0x0201_4B50 {
                    d.append(le16(0)); d.append(le16(0)); d.append(le16(0)); d.append(le32(0)); d.append(le32(offset))
                }
                d.append(Data(name.utf8))
                return d
            }
            body.append(header(0x0403_4B50))
            body.append(data)
            central.append(header(0x0201_4B50))
        }
        var end = Data()
        end.append(le32(0x0605_4B50)); end.append(le16(0)); end.append(le16(0))
        end.append(le16(UInt16(entries.count))); end.append(le16(UInt16(entries.count)))
        end.append(le32(UInt32(central.count))); end.append(le32(UInt32(body.count))); end.append(le16(0))
        return body + central + end
    }

    private static func le16(_ value: UInt16) -> Data { Data([UInt8(value & 0xFF), UInt8(value >> 8)]) }
    private static func le32(_ value: UInt32) -> Data { Data((0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) }) }

    private static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// Width and height of an image file, read by `vipsheader`.
    public static func dimensions(of data: Data) throws -> (width: Int, height: Int) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parley-probe-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try data.write(to: URL(fileURLWithPath: path))
        let width = try run(["vipsheader", "-f", "width", path]).trimmingCharacters(in: .whitespacesAndNewlines)
        let height = try run(["vipsheader", "-f", "height", path]).trimmingCharacters(in: .whitespacesAndNewlines)
        return (Int(width) ?? -1, Int(height) ?? -1)
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("\(arguments.joined(separator: " ")) failed: \(text)") }
        return text
    }
}

/// A `multipart/form-data` body with one file part.
public struct MultipartUpload {
    public static let boundary = "parley-test-boundary-7MA4YWxkTrZu0gW"

    public static func body(filename: String, contentType: String?, data: Data, field: String = "file") -> ByteBuffer {
        var headers = "Content-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\""
        if let contentType { headers += "\r\nContent-Type: \(contentType)" }
        return body(fileHeaders: Array(headers.utf8), data: data)
    }

    /// A body whose second part has exactly `fileHeaders` (header lines joined by CRLF, any bytes)
    /// and holds `data`, after a part that is ignored.
    public static func body(fileHeaders: [UInt8], data: Data) -> ByteBuffer {
        var buffer = ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nignored\r\n--\(boundary)\r\n")
        buffer.writeBytes(fileHeaders)
        buffer.writeString("\r\n\r\n")
        buffer.writeBytes(data)
        buffer.writeString("\r\n--\(boundary)--\r\n")
        return buffer
    }
}

extension TestClientProtocol {
    public func upload(_ data: Data, filename: String, contentType: String?, token: String) async throws -> APIReply {
        try await upload(body: MultipartUpload.body(filename: filename, contentType: contentType, data: data), token: token)
    }

    /// Uploads a multipart body as it is, with `MultipartUpload.boundary`.
    public func upload(body: ByteBuffer, token: String) async throws -> APIReply {
        try await execute(
            uri: "/attachments/upload", method: .post,
            headers: [.contentType: "multipart/form-data; boundary=\(MultipartUpload.boundary)", .authorization: "Bearer \(token)"],
            body: body
        ) { response in APIReply(status: response.status, headers: response.headers, body: Data(buffer: response.body)) }
    }

    /// Uploads and returns the attachment, failing unless it was stored.
    public func uploaded(_ data: Data, filename: String, contentType: String?, token: String) async throws -> [String: Any] {
        let reply = try await upload(data, filename: filename, contentType: contentType, token: token)
        guard reply.status == .created else { throw TestFailure("upload failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))") }
        return reply.json
    }

    public func download(_ path: String, token: String, headers extra: HTTPFields = [:]) async throws -> APIReply {
        var headers = extra
        headers[.authorization] = "Bearer \(token)"
        return try await execute(uri: path, method: .get, headers: headers) { response in
            APIReply(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }
}
