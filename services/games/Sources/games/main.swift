import GamesService
import ServiceKit

let settings = GamesSettings(reader: ServiceConfig.reader())
try await ServiceMain.run(config: settings.service) { try await buildApplication(settings: settings) }
