//! Multi-row INSERTs: a hundred rows to a statement, because one statement per row costs
//! more than storing the row (and, on a table with triggers, each statement writes the pages
//! it touches to a statement journal).

use rusqlite::{Connection, Statement};

use crate::error::Result;

/// Rows per multi-row INSERT.
pub const ROWS_PER_INSERT: usize = 100;

/// `head` followed by `row` (its placeholders) `rows` times, comma-separated.
pub fn multi_row_sql(head: &str, row: &str, rows: usize) -> String {
    let mut sql = String::with_capacity(head.len() + rows * (row.len() + 2));
    sql.push_str(head);
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(row);
    }
    sql
}

/// Inserts `rows` with `head` + `row` per chunk of `ROWS_PER_INSERT`. `bind` binds one row's
/// parameters starting at the given (1-based) index; `row` has `columns` placeholders.
pub fn insert<T>(
    conn: &Connection,
    head: &str,
    row: &str,
    columns: usize,
    rows: &[T],
    mut bind: impl FnMut(&mut Statement<'_>, usize, &T) -> rusqlite::Result<()>,
) -> Result<()> {
    let full = multi_row_sql(head, row, ROWS_PER_INSERT);
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let sql = if chunk.len() == ROWS_PER_INSERT {
            std::borrow::Cow::Borrowed(full.as_str())
        } else {
            std::borrow::Cow::Owned(multi_row_sql(head, row, chunk.len()))
        };
        let mut stmt = conn.prepare_cached(&sql)?;
        for (i, r) in chunk.iter().enumerate() {
            bind(&mut stmt, 1 + i * columns, r)?;
        }
        stmt.raw_execute()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_repeats_the_row() {
        assert_eq!(
            multi_row_sql("INSERT INTO t (a, b) VALUES ", "(?, ?)", 3),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?)"
        );
    }

    #[test]
    fn every_row_is_inserted_across_chunks() {
        let conn = Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch("CREATE TABLE t (a INTEGER, b TEXT)")
            .unwrap_or_else(|e| panic!("{e}"));
        // 250 rows: two full chunks of 100 and one of 50.
        let rows: Vec<(i64, String)> = (0..250).map(|i| (i, format!("r{i}"))).collect();
        insert(
            &conn,
            "INSERT INTO t (a, b) VALUES ",
            "(?, ?)",
            2,
            &rows,
            |s, at, r| {
                s.raw_bind_parameter(at, r.0)?;
                s.raw_bind_parameter(at + 1, &r.1)
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let (n, sum, last): (i64, i64, String) = conn
            .query_row("SELECT count(*), sum(a), max(b) FROM t", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap_or_else(|e| panic!("{e}"));
        // 0 + 1 + … + 249 = 249 · 250 / 2 = 31 125; the largest text is "r99".
        assert_eq!((n, sum, last.as_str()), (250, 31_125, "r99"));
    }
}
