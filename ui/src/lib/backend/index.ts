// The backend module's public face: the interface, the error type, and the app's instance.
export type { Backend, ImportKindKey, ReportFormat } from "./backend";
export { BackendError, toBackendError } from "./backend";
export { createTauriBackend } from "./tauri";
