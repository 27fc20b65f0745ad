import NotifyService
import ServiceKit

let settings = NotifySettings(reader: ServiceConfig.reader())
try await ServiceMain.run(config: settings.service) { try await buildApplication(settings: settings) }
