import MediaService
import ServiceKit

let settings = MediaSettings(reader: ServiceConfig.reader())
try await ServiceMain.run(config: settings.service) { try await buildApplication(settings: settings) }
