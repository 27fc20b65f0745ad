// Types and client generated from rooms' contract, `services/rooms/openapi.yaml` (linked here),
// by swift-openapi-generator at build time. Other services call rooms only through this client.
