// Types and client generated from auth's contract, `services/auth/openapi.yaml` (linked here),
// by swift-openapi-generator at build time. Other services call auth only through this client.
