//! `sykefravær` files (sick-leave.md): one row per unit and month.

use super::header::{ColumnSpec, Columns};
use super::problems::Problems;
use super::reader::Table;
use crate::model::SickLeaveChange;
use crate::storage::Catalog;

pub static COLUMNS: &[ColumnSpec] = &[];

pub fn parse(
    table: &Table,
    columns: &Columns,
    catalog: &Catalog,
    problems: &mut Problems,
) -> Vec<SickLeaveChange> {
    todo!("helper A: {} {} {}", table.records.len(), catalog.units.len(), problems.is_empty() as u8 + columns as *const _ as u8)
}
