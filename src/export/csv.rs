//! CSV: UTF-8 with BOM, `;`, decimal comma, no digit grouping, `*` for masked, empty for
//! no value.

use super::Document;

pub fn render(doc: &Document) -> Vec<u8> {
    todo!("helper C: {}", doc.title)
}
