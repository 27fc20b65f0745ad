// Types and client generated from messages' contract, `services/messages/openapi.yaml` (linked
// here), by swift-openapi-generator at build time: only what other services call
// (`checkAttachmentViewer`).
