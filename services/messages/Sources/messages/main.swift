import MessagesService
import ServiceKit

let settings = MessagesSettings(reader: ServiceConfig.reader())
try await ServiceMain.run(config: settings.service) { try await buildApplication(settings: settings) }
