import Configuration
import Foundation
import Multipart
import ServiceKit

/// Media's configuration: the common settings plus its own (each an environment variable, see README).
public struct MediaSettings: Sendable {
    public var service: ServiceConfig
    /// Messages' base URL: who may see an attachment a message carries.
    public var messagesURL: String
    /// The largest file accepted (10 MiB); a multipart body may be 64 KiB larger.
    public var maxFileBytes: Int
    /// Images with more pixels are refused before decoding.
    public var maxImagePixels: Int
    /// The thumbnail's longest side.
    public var thumbnailSize: Int
    /// How many images are decoded at once (threads of the image pool).
    public var imageConcurrency: Int
    /// Where uploads are written while they are received and scanned.
    public var spoolDirectory: String
    public var clamdHost: String
    public var clamdPort: Int
    /// How long clamd may take to answer after the last byte.
    public var clamdTimeout: Duration
    /// `local` (files under `localStoreDirectory`) or `s3`.
    public var store: String
    public var localStoreDirectory: String
    public var s3: S3Configuration
    /// Uploads per user: `UPLOAD_RATE_LIMIT` per `UPLOAD_RATE_WINDOW_SECONDS`.
    public var uploadRate: RateLimitSetting
    /// How many parts a form may have, and how many headers and header bytes each part.
    public var formLimits: MultipartReader.Limits
    /// Unlinked uploads older than this are deleted, checked every `sweepInterval`.
    public var unlinkedTTL: TimeInterval
    public var sweepInterval: Duration

    /// An S3-compatible bucket and its credentials.
    public struct S3Configuration: Sendable {
        public var endpoint: String
        public var region: String
        public var bucket: String
        public var accessKeyID: String
        public var secretAccessKey: String
        public var pathStyle: Bool
    }

    public static let multipartOverheadBytes = 64 * 1024

    public init(reader: ConfigReader) {
        var service = ServiceConfig(serviceName: "media", defaultPort: 8084, reader: reader)
        self.messagesURL = reader.string(forKey: "messages.url", default: "http://127.0.0.1:8083")
        self.maxFileBytes = reader.int(forKey: "max.file.bytes", default: 10 * 1024 * 1024)
        // Bodies stream here: the body limit is the file's plus the multipart framing around it.
        service.maxBodyBytes = maxFileBytes + Self.multipartOverheadBytes
        self.service = service
        self.maxImagePixels = reader.int(forKey: "max.image.pixels", default: 40_000_000)
        self.thumbnailSize = reader.int(forKey: "thumbnail.size", default: 320)
        self.imageConcurrency = reader.int(forKey: "image.concurrency", default: max(1, ProcessInfo.processInfo.activeProcessorCount))
        self.spoolDirectory = reader.string(forKey: "spool.directory", default: NSTemporaryDirectory())
        self.clamdHost = reader.string(forKey: "clamd.host", default: "127.0.0.1")
        self.clamdPort = reader.int(forKey: "clamd.port", default: 3310)
        self.clamdTimeout = .seconds(reader.int(forKey: "clamd.timeout.seconds", default: 30))
        self.store = reader.string(forKey: "object.store", default: "local")
        self.localStoreDirectory = reader.string(forKey: "local.store.directory", default: ".data/media")
        self.s3 = S3Configuration(
            endpoint: reader.string(forKey: "s3.endpoint", default: "https://s3.amazonaws.com"),
            region: reader.string(forKey: "s3.region", default: "us-east-1"),
            bucket: reader.string(forKey: "s3.bucket", default: "parley-attachments"),
            accessKeyID: reader.string(forKey: "s3.access.key.id", default: ""),
            secretAccessKey: reader.string(forKey: "s3.secret.access.key", isSecret: true, default: ""),
            pathStyle: reader.bool(forKey: "s3.path.style", default: true))
        self.uploadRate = RateLimitSetting("upload", reader: reader, limit: 30, windowSeconds: 60)
        self.formLimits = MultipartReader.Limits(
            maxParts: reader.int(forKey: "max.form.parts", default: 16),
            maxHeadersPerPart: reader.int(forKey: "max.part.headers", default: 16),
            maxHeaderBytesPerPart: reader.int(forKey: "max.part.header.bytes", default: 8192))
        self.unlinkedTTL = TimeInterval(reader.int(forKey: "unlinked.ttl.seconds", default: 24 * 60 * 60))
        self.sweepInterval = .seconds(reader.int(forKey: "sweep.interval.seconds", default: 15 * 60))
    }
}
