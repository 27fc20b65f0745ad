// Types and client generated from media's contract, `services/media/openapi.yaml` (linked here),
// by swift-openapi-generator at build time: only what other services call (`claimAttachments`).
