// The one door to the Rust side: every call the UI makes, with the generated types. The
// Tauri implementation is in ./tauri.ts; components get a `Backend` and never import
// `@tauri-apps/*` themselves.

import type { AppInfo } from "../../bindings/AppInfo";
import type { Comment } from "../../bindings/Comment";
import type { IndicatorDetail } from "../../bindings/IndicatorDetail";
import type { Scorecard } from "../../bindings/Scorecard";
import type { Sparkline } from "../../bindings/Sparkline";
import type { Overview } from "../../bindings/Overview";
import type { Page } from "../../bindings/Page";
import type { UnitStatus } from "../../bindings/UnitStatus";
import type { UnitNode } from "../../bindings/UnitNode";
import type { ImportOutcome } from "../../bindings/ImportOutcome";
import type { Target } from "../../bindings/Target";
import type { TargetInput } from "../../bindings/TargetInput";
import type { LockedMonth } from "../../bindings/LockedMonth";
import type { AuditRow } from "../../bindings/AuditRow";
import type { AuditFilter } from "../../bindings/AuditFilter";
import type { SickLeaveSummary } from "../../bindings/SickLeaveSummary";
import type { EconomyReport } from "../../bindings/EconomyReport";
import type { SickLeaveGrid } from "../../bindings/SickLeaveGrid";
import type { SickLeaveSave } from "../../bindings/SickLeaveSave";
import type { SickLeaveSaved } from "../../bindings/SickLeaveSaved";
import type { CellProblem } from "../../bindings/CellProblem";
import type { EconomyGrid } from "../../bindings/EconomyGrid";
import type { EconomySave } from "../../bindings/EconomySave";
import type { EconomySaved } from "../../bindings/EconomySaved";
import type { SpreadInput } from "../../bindings/SpreadInput";
import type { Spread } from "../../bindings/Spread";
import type { ImportKind } from "../../bindings/ImportKind";
import type { ReportFormat } from "../../bindings/ReportFormat";
import type { Measure } from "../../bindings/Measure";
import type { SyncState } from "../../bindings/SyncState";
import type { KnownServer } from "../../bindings/KnownServer";
import type { OutboxConflict } from "../../bindings/OutboxConflict";
import type { Resolved } from "../../bindings/Resolved";
import type { Choice } from "../../bindings/Choice";
import type { CellMark } from "../../bindings/CellMark";
import type { Action } from "../../bindings/Action";
import type { ActionComment } from "../../bindings/ActionComment";
import type { ActionDetail } from "../../bindings/ActionDetail";
import type { ActionFilter } from "../../bindings/ActionFilter";
import type { ActionInput } from "../../bindings/ActionInput";
import type { ActionLine } from "../../bindings/ActionLine";
import type { ActionList } from "../../bindings/ActionList";
import type { ActionsReport } from "../../bindings/ActionsReport";
import type { SurveyView } from "../../bindings/SurveyView";

// The enums the commands take are generated from Rust (never copied here): the import
// kinds, the report formats and the economy measures.
export type { ImportKind, ReportFormat, Measure };

export interface Backend {
  appInfo(): Promise<AppInfo>;
  /** Fills an empty database with the demo municipality. */
  loadDemo(): Promise<void>;
  /** All units, parents before children, with depth. */
  units(): Promise<UnitNode[]>;
  scorecard(unit: string, period: string): Promise<Scorecard>;
  sparklines(unit: string, period: string): Promise<Sparkline[]>;
  /** The director's overview: the unit's children × the perspectives, and the unit's own
   *  status and counts (the summary strip). */
  overview(unit: string, period: string): Promise<Overview>;
  /** Everything the unit's målkart shows, asked before it is opened (`lib/pages.ts`), from
   *  the engine already built; `null` when that does not hold the period. `soon`: the
   *  person is about to open it (answered at the priority of a question asked now; a guess
   *  at the lowest). */
  pageAhead(unit: string, period: string, soon: boolean): Promise<Page | null>;
  /** The målkart shown came from `pageAhead`: the backend answers ahead from there. */
  opened(unit: string, period: string): Promise<void>;
  /** The status of every unit's målkart: the marks in the tree. */
  unitStatuses(period: string): Promise<UnitStatus[]>;
  indicatorDetail(indicator: string, unit: string, period: string): Promise<IndicatorDetail>;
  comments(indicator: string, unit: string, period: string): Promise<Comment[]>;
  addComment(indicator: string, unit: string, period: string, text: string): Promise<Comment>;
  updateComment(id: number, text: string): Promise<Comment>;
  deleteComment(id: number): Promise<void>;
  /** Imports a file; with `dryRun` nothing is stored. A refused file is an outcome with
   * its wrong lines (`outcome: "refused"`), not an exception. */
  importFile(kind: ImportKind, path: string, dryRun: boolean): Promise<ImportOutcome>;
  /** Numbers as typed (`7,5`); the core reads them. */
  setTarget(input: TargetInput): Promise<Target>;
  lockedMonths(): Promise<LockedMonth[]>;
  lockMonth(month: string): Promise<boolean>;
  unlockMonth(month: string, reason: string): Promise<boolean>;
  /** The audit log in Norwegian words, newest first. */
  audit(query: AuditFilter): Promise<AuditRow[]>;
  /** `overwrite` only once the person has agreed to replace an existing file (the save
   *  dialog asks); returns where the replaced file was kept. */
  backup(path: string, overwrite: boolean): Promise<string | null>;
  /** Returns where the replaced database was kept. */
  restore(path: string): Promise<string | null>;
  /** «Velg en annen fil» when the database cannot be opened: opens another existing
   *  database for this session; a file that cannot be opened is refused. */
  openDatabase(path: string): Promise<AppInfo>;
  /** «Lag ny database» when the database cannot be opened: the broken file is kept beside
   *  a new, empty one; returns where it was kept. */
  newDatabase(): Promise<string | null>;
  /** The system's file dialogs; `null` when the person cancels. */
  chooseFile(title: string, extensions: string[]): Promise<string | null>;
  chooseSaveFile(title: string, defaultName: string): Promise<string | null>;
  // -- reports (sick-leave summary, economy report) ------------------------------------
  /** The summary masked for `minEmployees`; the stored setting when `null`/absent. */
  sickLeaveSummary(unit: string, period: string, minEmployees?: number | null): Promise<SickLeaveSummary>;
  /** Year to date through the period's last month. */
  economyReport(unit: string, period: string): Promise<EconomyReport>;
  /** Writes the file (atomically) and returns the path written. */
  exportSickLeave(unit: string, period: string, format: ReportFormat, path: string, minEmployees?: number | null): Promise<string>;
  exportEconomy(unit: string, period: string, format: ReportFormat, path: string): Promise<string>;
  /** «Skriv ut / PDF»: the målkart as shown (unit, period, «Vis bare avvik»). */
  exportScorecard(unit: string, period: string, deviationsOnly: boolean, format: ReportFormat, path: string): Promise<string>;
  /** The privacy minimum of the sick-leave summary (default 5, 0 = off). */
  minEmployees(): Promise<number>;
  /** `false` when it was that already. */
  setMinEmployees(n: number): Promise<boolean>;
  /** «Vis umaskerte tall» on or off: audited, kept in memory only (off at every start).
   *  `false` when it was so already. */
  setSickLeaveUnmasked(on: boolean): Promise<boolean>;

  // The registration grids.
  /** Sick leave of `month` for `unit` and every unit below it. */
  sickLeaveGrid(unit: string, month: string): Promise<SickLeaveGrid>;
  /** The problems of changed rows, checked by the core; nothing is saved. */
  checkSickLeave(input: SickLeaveSave): Promise<CellProblem[]>;
  /** Saves changed rows in one transaction (`outcome: "saved"`), or returns every problem
   *  and saves nothing (`outcome: "refused"`). */
  saveSickLeave(input: SickLeaveSave): Promise<SickLeaveSaved>;
  /** One measure (`budsjett`, `regnskap`, `prognose`) of `year` for `unit`'s subtree. */
  economyGrid(unit: string, year: number, measure: Measure): Promise<EconomyGrid>;
  saveEconomy(input: EconomySave): Promise<EconomySaved>;
  /** A yearly amount spread over the months (computed in Rust, not saved). */
  spreadBudget(input: SpreadInput): Promise<Spread>;

  // A Målkart server: the open database may be a replica of one (sharing.md §1–3).
  /** The servers this desktop has connected to, the open one marked. */
  servers(): Promise<KnownServer[]>;
  /** «Koble til server»: logs in, pulls into a new replica and opens it as the database.
   *  A refused login or an unreachable server is a `BackendError` with a sentence to show;
   *  the database in use stays open. */
  connectServer(url: string, user: string, password: string): Promise<AppInfo>;
  /** «Synkroniser nå»: push, then pull; the state after (offline is a state, not an error). */
  syncNow(): Promise<SyncState>;
  /** The sync line's state, from memory: cheap to poll. `status` is `null` for a local file. */
  syncStatus(): Promise<SyncState>;
  /** «Bruk lokal fil»: back from a server's replica to the local database. */
  useLocalDatabase(): Promise<AppInfo>;

  // Conflicts and local-first states (sharing.md §4).
  /** The kept conflicts and refusals, oldest first (none for a local file). */
  conflicts(): Promise<OutboxConflict[]>;
  /** «Behold min» (`mine`) or «Bruk deres» (`theirs`) for one conflict; audited. */
  resolveConflict(id: string, choice: Choice): Promise<Resolved>;
  /** The same for every conflict of one batch (an import), all or none. */
  resolveBatch(batch: string, choice: Choice): Promise<Resolved>;
  /** The cells with a change waiting to be sent or in conflict: their marks. */
  cellMarks(): Promise<CellMark[]>;

  // Tiltak (tiltak.md): actions linked to goals and indicators.
  /** The tiltak of `unit`'s subtree shown in `period`, filtered, by deadline. */
  actions(unit: string, period: string, filter: ActionFilter): Promise<ActionList>;
  /** One tiltak with its status comments; `late` judged for `period`. */
  action(code: string, period: string): Promise<ActionDetail>;
  /** The tiltak of `unit`'s subtree that name `indicator` (the indicator detail). */
  indicatorActions(indicator: string, unit: string, period: string): Promise<ActionLine[]>;
  /** A free code for a new tiltak (`T-007`). */
  newActionCode(): Promise<string>;
  /** The form as typed; `creating` refuses a code in use. A wrong field is a
   *  `BackendError` with `field` (`fremdrift`, `frist`, `kostnad`, …). */
  saveAction(input: ActionInput, creating: boolean): Promise<Action>;
  /** A status comment for a period (refused when the period's last month is locked). */
  addActionComment(code: string, period: string, text: string): Promise<ActionComment>;
  updateActionComment(id: number, text: string): Promise<ActionComment>;
  deleteActionComment(id: number): Promise<void>;
  /** The actions report: per goal, tiltak | ansvarlig | frist | status | fremdrift | siste kommentar. */
  actionsReport(unit: string, period: string): Promise<ActionsReport>;
  exportActions(unit: string, period: string, format: ReportFormat, path: string): Promise<string>;
  /** A unit's survey round beside the round before, the municipality and the reference series. */
  surveyView(unit: string, period: string, survey: string | null): Promise<SurveyView>;
  exportSurvey(unit: string, period: string, survey: string | null, format: ReportFormat, path: string): Promise<string>;
  /** Calls `held(pending)` when the window's close was held back because changes wait to
   *  be sent; resolves to a function that stops listening. Not a command. */
  onCloseHeld(held: (pending: number) => void): Promise<() => void>;
  /** Closes the window (after the person was told what waits); the app ends. Not a command. */
  closeWindow(): Promise<void>;
}

/** An error from the Rust side (`IpcError`): `kind` to react to, `message` (Norwegian) to
 * show, and `field` when one field is to blame (`kode`, `beløp`, `måned`, …). */
export class BackendError extends Error {
  readonly kind: string;
  readonly field: string | undefined;
  constructor(kind: string, message: string, field?: string) {
    super(message);
    this.name = "BackendError";
    this.kind = kind;
    this.field = field;
  }
}

/** Whatever a failed call rejected with, as a `BackendError`: the core's `{ kind, message }`,
 * or a plain string (Tauri's own refusals, e.g. a command the capability does not allow). */
export function toBackendError(reason: unknown): BackendError {
  if (reason instanceof BackendError) return reason;
  if (typeof reason === "object" && reason !== null && "kind" in reason && "message" in reason) {
    const r = reason as { kind: unknown; message: unknown; field?: unknown };
    return new BackendError(String(r.kind), String(r.message), typeof r.field === "string" ? r.field : undefined);
  }
  if (reason instanceof Error) return new BackendError("ipc", reason.message);
  return new BackendError("ipc", String(reason));
}
