import AuthService
import ServiceKit

let settings = AuthSettings(reader: ServiceConfig.reader())
try await ServiceMain.run(config: settings.service) { try await buildApplication(settings: settings) }
