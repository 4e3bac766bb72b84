//! User settings (the `settings` table), each change audited.

use rusqlite::Connection;

use crate::error::Result;

use super::audit::Writer;

pub fn min_employees(conn: &Connection) -> Result<u32> {
    todo!("helper A: {conn:?}")
}

pub fn set_min_employees(conn: &Connection, n: u32, log: &Writer<'_>) -> Result<bool> {
    todo!("helper A: {conn:?} {n} {}", log as *const _ as usize)
}
