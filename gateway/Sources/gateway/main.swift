import Gateway
import ServiceKit

let settings = GatewaySettings(reader: ServiceConfig.reader())
try await ServiceMain.run(config: settings.service) { try await buildApplication(settings: settings) }
