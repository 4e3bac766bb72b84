//! The roles table of sharing.md §2 as code: what a caller may read. Every pull filter asks
//! `Rights`; there is no second copy of these rules (docs/sharing-design.md §4).
//!
//! Reading, as decided for part 1: definitions (perspectives, indicators, settings, locked
//! months) are the whole municipality's and every role reads them; units and every figure
//! tied to a unit are limited for a `leser` and an `enhetsleder` to the units given and
//! their subtrees. A given unit whose parent is outside that set is the top of the caller's
//! tree: its `parent` is sent as empty, so a replica holds no unit it may not read.

use sha2::{Digest, Sha256};
use tokio_postgres::Client;

use crate::accounts::Role;
use crate::error::Result;
use crate::sessions::Caller;

/// Who may read the rows of a table (sharing.md §2), the one rule pull asks per table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// Definitions of the whole municipality: perspectives, indicators, locks, settings.
    Everyone,
    /// Rows tied to a unit: readable when the unit is (a row without a unit — a default
    /// target for «alle enheter» — is a definition, readable by all).
    ByUnit,
    /// Raw sick-leave rows: never for a `leser` (she gets the masked summary), else by unit.
    RawSickLeave,
}

/// What a write changes, for the writes column of sharing.md §2 (`Rights::may_write`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    /// Units, indicators, perspectives: the definitions.
    Definition,
    Target,
    Measurement,
    SickLeave,
    Economy,
    Comment,
    Lock,
    Setting,
    /// Tiltak (tiltak.md): the unit's own work, written by its leader.
    Action,
}

impl Write {
    /// The thing in words, for a refusal («… kan ikke endre økonomi»).
    fn words(self) -> &'static str {
        match self {
            Write::Definition => "enheter og indikatorer",
            Write::Target => "mål",
            Write::Measurement => "målinger",
            Write::SickLeave => "sykefravær",
            Write::Economy => "økonomi",
            Write::Action => "tiltak",
            Write::Comment => "kommentarer",
            Write::Lock => "låste måneder",
            Write::Setting => "innstillinger",
        }
    }
}

/// Who may read an audit entry of `entity` (the core's entity names, and the server's
/// `bruker`): the rule of the rows it describes — an entry shows old and new values. `None`:
/// only an administrator (user changes, and any entity this version does not know).
pub fn audit_read(entity: &str) -> Option<Read> {
    match entity {
        "indikator" | "perspektiv" | "innstilling" | "lås" | "demo" => Some(Read::Everyone),
        "enhet" | "mål" | "måling" | "kommentar" | "økonomi" | "tiltak" | "tiltakskommentar" => {
            Some(Read::ByUnit)
        }
        // A resolved conflict holds the cell's values: raw sick leave among them, so read
        // as strictly as that (never by a leser), by its unit.
        "sykefravær" | "konflikt" => Some(Read::RawSickLeave),
        _ => None,
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rights {
    pub role: Role,
    /// The readable units, sorted; `None`: every unit.
    pub units: Option<Vec<String>>,
    /// The units given (sorted) and the tree's epoch (`tree_epoch`, bumped by every move):
    /// together with the role, what the readable set follows from.
    pub given: Vec<String>,
    pub epoch: i64,
}

impl Rights {
    /// The caller's rights now: the role, and for a `leser` or `enhetsleder` the units given
    /// with everything below them (a cycle in the tree cannot loop: `UNION` stops it).
    pub async fn of(client: &Client, caller: &Caller) -> Result<Rights> {
        if !caller.role.limited_to_units() {
            return Ok(Rights {
                role: caller.role,
                units: None,
                given: Vec::new(),
                epoch: 0,
            });
        }
        let given = client
            .query(
                "SELECT unit FROM user_units WHERE user_id = $1 ORDER BY unit",
                &[&caller.user_id],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let epoch: i64 = client
            .query_one("SELECT epoch FROM tree_epoch", &[])
            .await?
            .get(0);
        let rows = client
            .query(
                "WITH RECURSIVE readable (code) AS (
                     SELECT unit FROM user_units WHERE user_id = $1
                     UNION
                     SELECT u.code FROM units u JOIN readable r ON u.parent = r.code
                 )
                 SELECT code FROM readable ORDER BY code",
                &[&caller.user_id],
            )
            .await?;
        Ok(Rights {
            role: caller.role,
            units: Some(rows.iter().map(|r| r.get(0)).collect()),
            given,
            epoch,
        })
    }

    /// Whether the caller may read a row of a table read by `read`, tied to `unit`.
    pub fn reads(&self, read: Read, unit: Option<&str>) -> bool {
        match read {
            Read::Everyone => true,
            Read::ByUnit => unit.is_none_or(|u| self.reads_unit(u)),
            Read::RawSickLeave => self.reads_any(read) && unit.is_some_and(|u| self.reads_unit(u)),
        }
    }

    /// Whether the caller may make a write of this kind to `unit` (the writes column of
    /// sharing.md §2), or the reason in Norwegian. A `leser` writes only comments, on the
    /// units she reads; an `enhetsleder` sick leave and measurements of her subtrees and
    /// comments; an `økonom` economy of every unit and comments; an `administrator`
    /// everything. Push asks this for every operation (a refusal is a conflict of kind
    /// `ingen tilgang`); it is the only copy of the rule.
    pub fn may_write(&self, what: Write, unit: Option<&str>) -> std::result::Result<(), String> {
        let kind_allowed = match self.role {
            Role::Administrator => true,
            Role::Okonom => matches!(what, Write::Economy | Write::Comment),
            Role::Enhetsleder => {
                matches!(
                    what,
                    Write::SickLeave | Write::Measurement | Write::Comment | Write::Action
                )
            }
            Role::Leser => what == Write::Comment,
        };
        if !kind_allowed {
            return Err(format!(
                "Du har ikke skrivetilgang til {} (rollen {})",
                what.words(),
                self.role.as_str()
            ));
        }
        match unit {
            Some(code) if !self.reads_unit(code) => {
                Err(format!("Du har ikke skrivetilgang til enhet «{code}»"))
            }
            _ => Ok(()),
        }
    }

    /// Whether the caller may read an audit entry of `entity` about `unit`.
    pub fn reads_audit(&self, entity: &str, unit: Option<&str>) -> bool {
        match audit_read(entity) {
            Some(read) => self.reads(read, unit),
            None => self.role == Role::Administrator,
        }
    }

    /// Whether the caller may read any row of such a table (a `leser` no raw sick leave).
    pub fn reads_any(&self, read: Read) -> bool {
        read != Read::RawSickLeave || self.role != Role::Leser
    }

    /// Whether the caller reads sick leave as the masked summary instead of raw rows
    /// (sharing.md §2: a `leser`; an `enhetsleder` reads her subtrees' raw rows and no
    /// other unit at all).
    pub fn gets_sick_leave_summary(&self) -> bool {
        !self.reads_any(Read::RawSickLeave)
    }

    pub fn reads_unit(&self, code: &str) -> bool {
        match &self.units {
            None => true,
            Some(units) => units.binary_search_by(|u| u.as_str().cmp(code)).is_ok(),
        }
    }

    /// A fingerprint of what the caller may read. A replica pulled under another scope (a
    /// new role, other units given, a unit moved anywhere in the tree) is refilled from
    /// scratch, so it never keeps rows it may no longer read nor misses old rows it now
    /// may. A unit created inside a subtree changes no scope: it and its rows are new to
    /// the feed and come with the next pull.
    pub fn scope(&self) -> String {
        let mut hash = Sha256::new();
        hash.update(self.role.as_str().as_bytes());
        if self.units.is_some() {
            hash.update(self.epoch.to_le_bytes());
            for unit in &self.given {
                hash.update(b"\0");
                hash.update(unit.as_bytes());
            }
        }
        hex::encode(&hash.finalize()[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scope_changes_with_the_role_and_the_units() {
        let strings = |u: &[&str]| u.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let r = |role, given: &[&str], readable: Option<&[&str]>, epoch| Rights {
            role,
            units: readable.map(strings),
            given: strings(given),
            epoch,
        };
        let leader = r(Role::Enhetsleder, &["3100"], Some(&["3100", "3110"]), 0);
        // A new unit below hers changes nothing; a move anywhere (epoch), other units
        // given or another role does.
        let grown = r(
            Role::Enhetsleder,
            &["3100"],
            Some(&["3100", "3110", "3120"]),
            0,
        );
        assert_eq!(leader.scope(), grown.scope());
        assert_ne!(
            leader.scope(),
            r(Role::Enhetsleder, &["3100"], Some(&["3100"]), 1).scope()
        );
        assert_ne!(
            leader.scope(),
            r(Role::Leser, &["3100"], Some(&["3100"]), 0).scope()
        );
        assert_ne!(
            leader.scope(),
            r(Role::Enhetsleder, &["3110"], Some(&["3110"]), 0).scope()
        );
        assert_ne!(
            r(Role::Enhetsleder, &["31", "00"], Some(&["00", "31"]), 0).scope(),
            r(Role::Enhetsleder, &["3100"], Some(&["3100"]), 0).scope()
        );
        assert_ne!(
            r(Role::Okonom, &[], None, 0).scope(),
            r(Role::Administrator, &[], None, 0).scope()
        );
        let r = |role, units: Option<&[&str]>| Rights {
            role,
            units: units.map(strings),
            given: Vec::new(),
            epoch: 0,
        };
        let leader = r(Role::Enhetsleder, Some(&["3100", "3110"]));
        let reader = r(Role::Leser, Some(&["3100", "3110"]));
        assert!(leader.reads(Read::RawSickLeave, Some("3110")));
        assert!(!leader.reads(Read::RawSickLeave, Some("3120")));
        assert!(!reader.reads(Read::RawSickLeave, Some("3110")));
        assert!(reader.reads(Read::ByUnit, Some("3110")));
        assert!(reader.reads(Read::ByUnit, None));
        assert!(!reader.reads(Read::ByUnit, Some("4000")));
        assert!(reader.reads(Read::Everyone, Some("4000")));
        assert!(r(Role::Okonom, None).reads(Read::RawSickLeave, Some("4000")));
        assert!(leader.reads_unit("3110"));

        // The audit log: each entry as the rows it describes; user changes for admins only.
        assert!(leader.reads_audit("sykefravær", Some("3110")));
        assert!(!reader.reads_audit("sykefravær", Some("3110")));
        assert!(!leader.reads_audit("måling", Some("4000")));
        assert!(leader.reads_audit("indikator", None));
        assert!(!r(Role::Okonom, None).reads_audit("bruker", None));
        assert!(r(Role::Administrator, None).reads_audit("bruker", None));
        assert!(!leader.reads_audit("noe nytt", Some("3110")));

        // Writes, the spec's table: each role its kinds, limited roles their units.
        let economist = r(Role::Okonom, None);
        let admin = r(Role::Administrator, None);
        assert_eq!(leader.may_write(Write::SickLeave, Some("3110")), Ok(()));
        assert_eq!(leader.may_write(Write::Measurement, Some("3100")), Ok(()));
        assert_eq!(
            leader.may_write(Write::SickLeave, Some("3120")),
            Err("Du har ikke skrivetilgang til enhet «3120»".to_string())
        );
        assert_eq!(
            leader.may_write(Write::Economy, Some("3110")),
            Err("Du har ikke skrivetilgang til økonomi (rollen enhetsleder)".to_string())
        );
        assert!(leader.may_write(Write::Target, Some("3110")).is_err());
        assert_eq!(reader.may_write(Write::Comment, Some("3110")), Ok(()));
        assert!(reader.may_write(Write::Comment, Some("4000")).is_err());
        assert!(reader.may_write(Write::Measurement, Some("3110")).is_err());
        assert_eq!(economist.may_write(Write::Economy, Some("4000")), Ok(()));
        assert!(economist.may_write(Write::SickLeave, Some("4000")).is_err());
        assert!(economist.may_write(Write::Lock, None).is_err());
        for what in [
            Write::Definition,
            Write::Target,
            Write::Measurement,
            Write::SickLeave,
            Write::Economy,
            Write::Comment,
            Write::Lock,
            Write::Setting,
        ] {
            assert_eq!(admin.may_write(what, Some("4000")), Ok(()), "{what:?}");
        }
        assert!(!leader.reads_unit("3120"));
        assert!(r(Role::Okonom, None).reads_unit("9999"));
    }
}
