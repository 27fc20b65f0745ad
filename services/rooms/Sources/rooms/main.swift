import RoomsService
import ServiceKit

let settings = RoomsSettings(reader: ServiceConfig.reader())
try await ServiceMain.run(config: settings.service) { try await buildApplication(settings: settings) }
