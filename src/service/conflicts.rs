//! Conflicts in a replica of a shared municipality (sharing.md §4): the edits the server
//! answered with a conflict or a refusal (`låst`, `ingen tilgang`, `ugyldig`), kept on
//! this desktop until the user resolves them — one at a time or a whole batch (an
//! import's conflicts at once) — with «Behold min» or «Bruk deres». Every door (the CLI's
//! `conflicts` and `resolve`, later the app's list) calls these.

use serde::Serialize;
use ts_rs::TS;

use crate::engine::sickleave::CODES as SICK_LEAVE_CODES;
use crate::error::{Error, Result};
use crate::storage::{cell_words, Choice, OutboxCell, OutboxConflict, Store};

/// The built-in economy indicators (economy.md): a budget, accounts or forecast cell is
/// behind each of them.
const ECONOMY_CODES: [&str; 3] = ["OK-AVVIK", "OK-FORBRUK", "OK-PROGNOSE"];

/// Which conflicts to resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Which {
    /// One, by its id (`OutboxConflict::id`).
    One(String),
    /// Every conflict of one batch, named by its id or, when only one batch has it, by its
    /// label (the imported file's name).
    Batch(String),
}

/// What a resolution did.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Resolved {
    pub choice: Choice,
    /// The conflicts resolved, as they were listed.
    pub conflicts: Vec<OutboxConflict>,
}

/// A cell with a change not yet settled with the server, for the marks where the cell is
/// shown: the registration grids (unit × month × field) and the målkart (its indicators).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CellMark {
    /// `pending`: saved on this desktop, not yet on the server; `conflict`: the server
    /// answered with a conflict or a refusal, kept until the user resolves it.
    pub state: String,
    /// The operation's id (for a conflict: what «Behold min» / «Bruk deres» name).
    pub id: String,
    /// The table: `sick_leave`, `economy`, `measurements`, `targets`, …
    pub entity: String,
    /// The unit the cell belongs to, when it belongs to one.
    pub unit: Option<String>,
    /// The cell's month (`2026-03`) or period (`2026-K1`), or a target's year.
    pub period: Option<String>,
    /// The column as stored (`self_certified`, `budget`, `value`, …).
    pub field: String,
    /// The målkart's indicators the cell is behind: a measurement's, target's or comment's
    /// own indicator; every `SF*` for sick leave; every `OK-*` for economy.
    pub indicators: Vec<String>,
    /// The cell in words: «sykefravær 3100 2026-03 egenmeldt».
    pub cell: String,
}

/// Every cell with a change waiting to be sent or in conflict (none in a single-user
/// file), oldest first.
pub fn marks(store: &Store) -> Result<Vec<CellMark>> {
    Ok(store.outbox_cells()?.into_iter().map(mark).collect())
}

fn mark(c: OutboxCell) -> CellMark {
    let key: serde_json::Value = serde_json::from_str(&c.key).unwrap_or_default();
    let text = |name: &str| match key.get(name) {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let indicators: Vec<String> = match c.entity.as_str() {
        "sick_leave" => SICK_LEAVE_CODES.iter().map(|s| s.to_string()).collect(),
        "economy" => ECONOMY_CODES.iter().map(|s| s.to_string()).collect(),
        "measurements" | "targets" | "comments" => text("indicator").into_iter().collect(),
        _ => Vec::new(),
    };
    let period = text("month")
        .or_else(|| text("period"))
        .or_else(|| text("year"));
    CellMark {
        cell: cell_words(&c.entity, &c.key, &c.field),
        unit: text("unit"),
        period,
        indicators,
        state: c.state,
        id: c.op_id,
        entity: c.entity,
        field: c.field,
    }
}

/// The kept conflicts and refusals, oldest first (none in a single-user file).
pub fn list(store: &Store) -> Result<Vec<OutboxConflict>> {
    store.outbox_conflicts()
}

/// Resolves the conflicts `which` names as `choice`, all or none, each audited. «Behold
/// min» is refused (nothing changed) when one of them is a refusal: a locked month, a cell
/// the user may not write, or a value the server does not accept.
pub fn resolve(store: &mut Store, which: &Which, choice: Choice) -> Result<Resolved> {
    if store.replica()?.is_none() {
        return Err(Error::Invalid(
            "denne databasen er ikke en kopi av en server, så den har ingen konflikter; \
             bruk --server NAVN"
                .into(),
        ));
    }
    let all = store.outbox_conflicts()?;
    let ids: Vec<String> = match which {
        Which::One(id) => {
            let id = id.trim();
            if !all.iter().any(|c| c.id == id) {
                return Err(Error::Invalid(format!(
                    "det finnes ingen konflikt med id «{id}»; «malkart conflicts» viser dem \
                     som venter ({} nå)",
                    all.len()
                )));
            }
            vec![id.to_string()]
        }
        Which::Batch(name) => {
            let name = name.trim();
            let by_id: Vec<String> = all
                .iter()
                .filter(|c| c.batch == name)
                .map(|c| c.id.clone())
                .collect();
            if by_id.is_empty() {
                let mut batches: Vec<&str> = all
                    .iter()
                    .filter(|c| c.batch_label == name)
                    .map(|c| c.batch.as_str())
                    .collect();
                batches.dedup();
                match batches.as_slice() {
                    [] => {
                        return Err(Error::Invalid(format!(
                            "ingen konflikter hører til «{name}»; «malkart conflicts» viser \
                             hver konflikts batch og kilde"
                        )))
                    }
                    [one] => all
                        .iter()
                        .filter(|c| c.batch == *one)
                        .map(|c| c.id.clone())
                        .collect(),
                    many => {
                        return Err(Error::Invalid(format!(
                            "flere endringer heter «{name}»; velg en av dem med batch-id-en: {}",
                            many.join(", ")
                        )))
                    }
                }
            } else {
                by_id
            }
        }
    };
    let conflicts = store.resolve_conflicts(&ids, choice)?;
    Ok(Resolved { choice, conflicts })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::ChangeSet;
    use crate::model::{SickLeave, SickLeaveChange};
    use crate::period::Month;
    use crate::storage::{Changes, Pull, PushAnswer, ReplicaInfo, Theirs};
    use serde_json::json;

    const MARCH: (i32, u32) = (2026, 3);

    fn march() -> Month {
        Month::new(MARCH.0, MARCH.1).unwrap()
    }

    /// A replica of leder (enhetsleder for 3100) with one sick-leave month of 3100 at
    /// version 7: 400 dagsverk, 4,0 egenmeldt, 10,0 legemeldt.
    fn replica() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        store.set_user("leder");
        store
            .make_replica(&ReplicaInfo {
                server_url: "http://127.0.0.1:1".into(),
                user_name: "leder".into(),
                role: "enhetsleder".into(),
                units: vec!["3100".into()],
                ..ReplicaInfo::default()
            })
            .unwrap();
        let mut changes = Changes::default();
        changes.insert(
            "units",
            vec![
                json!({"code": "3100", "name": "Sjøvik sykehjem", "parent": null,
                "level": "enhet", "sort": 1, "version": 3, "cell_versions": {"name": 3}})
                .as_object()
                .unwrap()
                .clone(),
            ],
        );
        changes.insert(
            "sick_leave",
            vec![
                json!({"unit": "3100", "month": march().index(), "contracted_days": 400.0,
                "self_certified": 4.0, "doctor_certified": 10.0, "employees": 20,
                "days_1_3": null, "days_4_16": null, "days_17_56": null, "days_over_56": null,
                "version": 7, "cell_versions": {"contracted_days": 7, "self_certified": 7,
                "doctor_certified": 7, "employees": 7}})
                .as_object()
                .unwrap()
                .clone(),
            ],
        );
        store
            .apply_pull(
                &Pull {
                    watermark: "100".into(),
                    reset: true,
                    changes,
                    ..Pull::default()
                },
                "2026-04-02T08:00:00+02:00",
            )
            .unwrap();
        store
    }

    fn sick(self_certified: f64, doctor_certified: f64) -> SickLeave {
        SickLeave {
            unit: "3100".into(),
            month: march(),
            contracted_days: 400.0,
            self_certified,
            doctor_certified,
            employees: Some(20),
            split: None,
        }
    }

    fn save(store: &mut Store, row: SickLeave, source: &str) {
        store
            .apply(
                &ChangeSet::SickLeave(vec![SickLeaveChange::Set(row)]),
                source,
                false,
            )
            .unwrap();
    }

    fn local(store: &Store) -> (f64, f64) {
        let r = store.sick_leave(march(), march()).unwrap();
        (r[0].self_certified, r[0].doctor_certified)
    }

    /// Pushes every waiting operation and answers each with `answer(op)`.
    fn push(store: &mut Store, answer: impl Fn(&crate::storage::OutboxOp) -> PushAnswer) {
        let ops = store.outbox_to_send(100).unwrap();
        let answers: Vec<PushAnswer> = ops.iter().map(answer).collect();
        store.record_push(&answers).unwrap();
    }

    /// The server had 6,0 egenmeldt at version 9, written by eva.
    fn eva_conflict(op: &crate::storage::OutboxOp) -> PushAnswer {
        PushAnswer {
            op_id: op.op_id.clone(),
            status: "conflict".into(),
            version: None,
            theirs: Some(Theirs {
                value: json!(6.0),
                version: Some(9),
                by: Some("eva".into()),
                at: Some("2026-04-02T09:00:00+02:00".into()),
            }),
            reason: Some("sykefravær 3100 / 2026-03: egenmeldt er endret på serveren".into()),
        }
    }

    fn refused(
        kind: &'static str,
        reason: &'static str,
    ) -> impl Fn(&crate::storage::OutboxOp) -> PushAnswer {
        move |op| PushAnswer {
            op_id: op.op_id.clone(),
            status: kind.into(),
            version: None,
            theirs: None,
            reason: Some(reason.into()),
        }
    }

    #[test]
    fn a_conflict_is_listed_with_base_mine_theirs_who_when_and_the_cell_in_words() {
        let mut store = replica();
        save(&mut store, sick(5.0, 10.0), "fravær-mars.csv");
        push(&mut store, eva_conflict);
        let list = list(&store).unwrap();
        assert_eq!(list.len(), 1);
        let c = &list[0];
        assert_eq!(c.cell, "sykefravær 3100 2026-03 egenmeldt");
        assert_eq!(c.batch_label, "fravær-mars.csv");
        assert_eq!(c.kind, "conflict");
        // Base 4,0 (version 7, pulled), mine 5,0, theirs 6,0 by eva.
        assert_eq!(
            (c.base.as_deref(), c.mine.as_deref(), c.theirs.as_deref()),
            (Some("4.0"), Some("5.0"), Some("6.0"))
        );
        assert_eq!(c.who.as_deref(), Some("eva"));
        assert_eq!(c.when.as_deref(), Some("2026-04-02T09:00:00+02:00"));
    }

    #[test]
    fn behold_min_is_a_new_operation_on_top_of_theirs_that_names_the_conflict() {
        let mut store = replica();
        save(&mut store, sick(5.0, 10.0), "manuell");
        push(&mut store, eva_conflict);
        let id = list(&store).unwrap()[0].id.clone();
        let resolved = resolve(&mut store, &Which::One(id.clone()), Choice::Mine).unwrap();
        assert_eq!(resolved.conflicts.len(), 1);
        assert!(list(&store).unwrap().is_empty());
        // The cell keeps 5,0; one operation waits: base = theirs (version 9, 6,0), new 5,0.
        assert_eq!(local(&store), (5.0, 10.0));
        let ops = store.outbox_to_send(10).unwrap();
        assert_eq!(ops.len(), 1);
        let op = &ops[0];
        assert_eq!(op.field, "self_certified");
        assert_eq!(op.base_version, Some(9));
        assert_eq!(op.base_value, json!(6.0));
        assert_eq!(op.new_value, json!(5.0));
        assert_eq!(op.resolves.as_deref(), Some(id.as_str()));
        assert_ne!(op.op_id, id);
        // Audited locally: who, which cell, which choice (theirs 6,0 → mine 5,0).
        let audit = store.audit(&Default::default()).unwrap();
        let entry = &audit[0];
        assert_eq!(entry.entity, "konflikt");
        assert_eq!(entry.key, "sykefravær 3100 2026-03 egenmeldt");
        assert_eq!(entry.user, "leder");
        assert_eq!(
            (entry.old.as_deref(), entry.new.as_deref()),
            (Some("6.0"), Some("5.0"))
        );
        assert_eq!(
            entry.reason.as_deref(),
            Some(format!("Behold min (konflikt {id})").as_str())
        );
    }

    #[test]
    fn a_cell_edited_again_while_in_conflict_changes_min_and_sends_nothing_past_it() {
        let mut store = replica();
        save(&mut store, sick(5.0, 10.0), "manuell");
        push(&mut store, eva_conflict);
        // Edited again (5,0 → 5,5) before the conflict is resolved.
        save(&mut store, sick(5.5, 10.0), "manuell");
        assert!(store.outbox_to_send(10).unwrap().is_empty());
        let c = list(&store).unwrap().remove(0);
        assert_eq!(
            (c.base.as_deref(), c.mine.as_deref(), c.theirs.as_deref()),
            (Some("4.0"), Some("5.5"), Some("6.0"))
        );
        resolve(&mut store, &Which::One(c.id), Choice::Mine).unwrap();
        let op = store.outbox_to_send(10).unwrap().remove(0);
        assert_eq!(
            (op.base_version, op.base_value, op.new_value),
            (Some(9), json!(6.0), json!(5.5))
        );
    }

    #[test]
    fn bruk_deres_takes_their_value_and_version_without_an_operation() {
        let mut store = replica();
        save(&mut store, sick(5.0, 10.0), "manuell");
        push(&mut store, eva_conflict);
        let id = list(&store).unwrap()[0].id.clone();
        resolve(&mut store, &Which::One(id.clone()), Choice::Theirs).unwrap();
        assert_eq!(local(&store), (6.0, 10.0));
        assert_eq!(store.outbox_counts().unwrap(), Default::default());
        // Kept until the server's audit log has it (reported by the next sync).
        let report = store.resolutions_to_report(10).unwrap();
        assert_eq!(report.len(), 1);
        assert_eq!(
            (report[0].resolves.as_str(), &report[0].value),
            (id.as_str(), &json!(6.0))
        );
        let audit = store.audit(&Default::default()).unwrap();
        assert_eq!(
            (audit[0].old.as_deref(), audit[0].new.as_deref()),
            (Some("5.0"), Some("6.0"))
        );
        // The next edit of the cell builds on their version 9 (no conflict with eva).
        save(&mut store, sick(7.0, 10.0), "manuell");
        let op = store.outbox_to_send(10).unwrap().remove(0);
        assert_eq!(
            (op.base_version, op.base_value, op.new_value),
            (Some(9), json!(6.0), json!(7.0))
        );
        store
            .resolutions_reported(std::slice::from_ref(&id))
            .unwrap();
        assert!(store.resolutions_to_report(10).unwrap().is_empty());
        // A conflict resolved is gone: resolving it again is refused.
        let e = resolve(&mut store, &Which::One(id), Choice::Theirs).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("ingen konflikt med id"), "{e}");
    }

    #[test]
    fn a_batch_is_resolved_at_once_by_its_id_or_its_label() {
        let mut store = replica();
        // One import changes two cells of the row: two operations in one batch.
        save(&mut store, sick(5.0, 12.0), "fravær-mars.csv");
        push(&mut store, eva_conflict);
        let list1 = list(&store).unwrap();
        assert_eq!(list1.len(), 2);
        assert_eq!(list1[0].batch, list1[1].batch);
        let resolved = resolve(
            &mut store,
            &Which::Batch("fravær-mars.csv".into()),
            Choice::Theirs,
        )
        .unwrap();
        assert_eq!(resolved.conflicts.len(), 2);
        // Both cells are theirs (6,0 as eva's answer gave for each).
        assert_eq!(local(&store), (6.0, 6.0));
        assert!(list(&store).unwrap().is_empty());
        let e = resolve(&mut store, &Which::Batch("ukjent.csv".into()), Choice::Mine).unwrap_err();
        assert!(e.to_string().contains("ingen konflikter hører til"), "{e}");
    }

    #[test]
    fn bruk_deres_for_a_removed_row_makes_it_whole_again() {
        let mut store = replica();
        // The row removed locally: four cells emptied (the length split was empty).
        store
            .apply(
                &ChangeSet::SickLeave(vec![SickLeaveChange::Remove {
                    unit: "3100".into(),
                    month: march(),
                }]),
                "manuell",
                false,
            )
            .unwrap();
        // The server: egenmeldt changed by eva (6,0, version 9); the other three are
        // refused with it (the row would break a rule without the conflicting cell), with
        // no theirs: their value is the base the removal started from.
        push(&mut store, |op| {
            if op.field == "self_certified" {
                eva_conflict(op)
            } else {
                PushAnswer {
                    op_id: op.op_id.clone(),
                    status: "conflict".into(),
                    version: None,
                    theirs: None,
                    reason: Some("uten cellene som er i konflikt".into()),
                }
            }
        });
        let list1 = list(&store).unwrap();
        assert_eq!(list1.len(), 4);
        // One cell alone cannot make the row (no contracted days): refused, nothing changed.
        let egen = list1.iter().find(|c| c.field == "self_certified").unwrap();
        let e = resolve(&mut store, &Which::One(egen.id.clone()), Choice::Theirs).unwrap_err();
        assert!(e.to_string().contains("løs konfliktene i samme rad"), "{e}");
        assert_eq!(list(&store).unwrap().len(), 4);
        assert!(store.sick_leave(march(), march()).unwrap().is_empty());
        // The whole removal at once: 400 dagsverk, 6,0 egenmeldt (eva's), 10,0 legemeldt,
        // 20 ansatte.
        resolve(
            &mut store,
            &Which::Batch(egen.batch.clone()),
            Choice::Theirs,
        )
        .unwrap();
        let rows = store.sick_leave(march(), march()).unwrap();
        assert_eq!(rows, vec![sick(6.0, 10.0)]);
        assert_eq!(store.outbox_counts().unwrap(), Default::default());
    }

    #[test]
    fn a_locked_month_refuses_behold_min_and_bruk_deres_puts_the_servers_value_back() {
        let mut store = replica();
        save(&mut store, sick(5.0, 10.0), "manuell");
        push(
            &mut store,
            refused(
                "låst",
                "måneden 2026-03 er låst; lås den opp før du endrer tall i den",
            ),
        );
        let c = list(&store).unwrap().remove(0);
        assert_eq!(c.kind, "låst");
        // The server's value as this desktop knew it: the base, 4,0.
        assert_eq!(c.theirs.as_deref(), Some("4.0"));
        let before = store.audit(&Default::default()).unwrap().len();
        let e = resolve(&mut store, &Which::One(c.id.clone()), Choice::Mine).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        let text = e.to_string();
        assert!(text.contains("måneden er låst"), "{text}");
        assert!(text.contains("ingenting er endret"), "{text}");
        // Refused: nothing changed.
        assert_eq!(list(&store).unwrap().len(), 1);
        assert_eq!(store.audit(&Default::default()).unwrap().len(), before);
        resolve(&mut store, &Which::One(c.id), Choice::Theirs).unwrap();
        assert_eq!(local(&store), (4.0, 10.0));
        assert_eq!(store.outbox_counts().unwrap(), Default::default());
    }

    #[test]
    fn no_access_refuses_behold_min_with_the_reason() {
        let mut store = replica();
        save(&mut store, sick(5.0, 10.0), "manuell");
        push(
            &mut store,
            refused(
                "ingen tilgang",
                "Du har ikke skrivetilgang til enhet «3100»",
            ),
        );
        let c = list(&store).unwrap().remove(0);
        let e = resolve(&mut store, &Which::One(c.id), Choice::Mine).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("ikke skrivetilgang"), "{text}");
        assert!(text.contains("«3100»"), "{text}");
    }

    #[test]
    fn a_pull_after_a_conflict_shows_the_newest_theirs() {
        let mut store = replica();
        save(&mut store, sick(5.0, 10.0), "manuell");
        push(&mut store, eva_conflict);
        // The server's row changed again: egenmeldt 6,5 at version 11.
        let mut changes = Changes::default();
        changes.insert(
            "sick_leave",
            vec![
                json!({"unit": "3100", "month": march().index(), "contracted_days": 400.0,
                "self_certified": 6.5, "doctor_certified": 10.0, "employees": 20,
                "version": 11, "cell_versions": {"contracted_days": 7, "self_certified": 11,
                "doctor_certified": 7, "employees": 7}})
                .as_object()
                .unwrap()
                .clone(),
            ],
        );
        store
            .apply_pull(
                &Pull {
                    watermark: "120".into(),
                    changes,
                    ..Pull::default()
                },
                "2026-04-02T10:00:00+02:00",
            )
            .unwrap();
        // Mine is still on the cell; theirs is 6,5 now, no longer eva's 6,0.
        assert_eq!(local(&store), (5.0, 10.0));
        let c = list(&store).unwrap().remove(0);
        assert_eq!(c.theirs.as_deref(), Some("6.5"));
        assert_eq!(c.who, None);
        resolve(&mut store, &Which::One(c.id), Choice::Mine).unwrap();
        let op = store.outbox_to_send(10).unwrap().remove(0);
        assert_eq!((op.base_version, op.base_value), (Some(11), json!(6.5)));
    }

    #[test]
    fn marks_name_the_cells_waiting_and_in_conflict_with_their_indicators() {
        let mut store = replica();
        // Egenmeldt 4,0 → 5,0 and legemeldt 10,0 → 12,0: two cells waiting.
        save(&mut store, sick(5.0, 12.0), "manuell");
        let waiting = marks(&store).unwrap();
        assert_eq!(waiting.len(), 2);
        let m = &waiting[0];
        assert_eq!(m.state, "pending");
        assert_eq!(m.entity, "sick_leave");
        assert_eq!(m.unit.as_deref(), Some("3100"));
        assert_eq!(m.period.as_deref(), Some("2026-03"));
        assert_eq!(m.field, "self_certified");
        assert_eq!(m.cell, "sykefravær 3100 2026-03 egenmeldt");
        assert_eq!(
            m.indicators,
            ["SF", "SF-E", "SF-L", "SF-KORT", "SF-LANG", "SF-N"]
        );
        assert_eq!(waiting[1].field, "doctor_certified");
        // Sent and not answered: still waiting (pending), not yet on the server.
        let ops = store.outbox_to_send(10).unwrap();
        assert!(marks(&store).unwrap().iter().all(|m| m.state == "pending"));
        // Eva's conflict on both: two conflict marks, each with its conflict's id.
        let answers: Vec<PushAnswer> = ops.iter().map(eva_conflict).collect();
        store.record_push(&answers).unwrap();
        let kept = marks(&store).unwrap();
        let ids: Vec<String> = list(&store).unwrap().into_iter().map(|c| c.id).collect();
        assert_eq!(
            kept.iter().map(|m| m.state.as_str()).collect::<Vec<_>>(),
            ["conflict", "conflict"]
        );
        assert_eq!(kept.iter().map(|m| m.id.clone()).collect::<Vec<_>>(), ids);
        // «Bruk deres» for both: nothing left to mark.
        let batch = list(&store).unwrap()[0].batch.clone();
        resolve(&mut store, &Which::Batch(batch), Choice::Theirs).unwrap();
        assert!(marks(&store).unwrap().is_empty());
    }

    #[test]
    fn a_single_user_file_has_no_conflicts_to_resolve() {
        assert!(marks(&Store::open_in_memory().unwrap()).unwrap().is_empty());
        let mut store = Store::open_in_memory().unwrap();
        assert!(list(&store).unwrap().is_empty());
        let e = resolve(&mut store, &Which::One("x".into()), Choice::Theirs).unwrap_err();
        assert!(e.to_string().contains("ikke en kopi av en server"), "{e}");
    }
}
