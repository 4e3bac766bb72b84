// The backend module's public face: the interface, the error type, and the app's instance.
export type { Backend, ImportKind, ReportFormat, Measure } from "./backend";
export { IMPORT_KINDS, IMPORT_KIND_LABEL, MEASURES, MEASURE_LABEL } from "./labels";
export { BackendError, toBackendError } from "./backend";
export { createTauriBackend } from "./tauri";
