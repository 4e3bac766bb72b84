//! Text that people cannot see. A code (`3200`) or a period (`2026-03`) with a zero-width
//! space, an inner byte-order mark or a bidi override in it looks exactly like the real one
//! on screen, yet is another code: such characters are refused wherever a code or period
//! enters (import cells, the header, and storage as the last gate). Names and other free
//! text are only NFC-normalised, so that `Å` typed as A + ring is the same `Å`.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Is `c` a character that shows nothing (or only moves other text): control and format
/// characters (zero-width space, BOM, bidi overrides and isolates, soft hyphen), line and
/// paragraph separators, spaces other than the plain space, the default-ignorable fillers,
/// variation selectors, private-use and unassigned code points?
pub fn is_invisible(c: char) -> bool {
    if c == ' ' {
        return false;
    }
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    if c.is_whitespace() {
        return true;
    }
    matches!(
        c,
        // Hangul fillers, Khmer inherent vowels, Mongolian selectors, the combining
        // grapheme joiner, braille blank: default-ignorable or blank though not `Cf`.
        '\u{034f}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{ffa0}'
            | '\u{e0100}'..='\u{e01ef}'
    ) || matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
            | GeneralCategory::PrivateUse
            | GeneralCategory::Surrogate
            | GeneralCategory::Unassigned
    )
}

/// The first invisible character of `text`: its position (1-based, in characters) and
/// the character.
pub fn first_invisible(text: &str) -> Option<(usize, char)> {
    text.chars()
        .enumerate()
        .find(|(_, c)| is_invisible(*c))
        .map(|(i, c)| (i + 1, c))
}

/// `U+200B (nullbredde mellomrom)`: a character people cannot see, named.
pub fn describe(c: char) -> String {
    let name = match c {
        '\u{200b}' => "nullbredde mellomrom",
        '\u{200c}' => "nullbredde ikke-sammenbinder",
        '\u{200d}' => "nullbredde sammenbinder",
        '\u{2060}' => "ordsammenbinder",
        '\u{feff}' => "byte-rekkefølgemerke (BOM)",
        '\u{00ad}' => "myk bindestrek",
        '\u{00a0}' => "hardt mellomrom",
        '\u{202f}' => "smalt hardt mellomrom",
        '\u{200e}' | '\u{200f}' | '\u{061c}' => "retningsmerke",
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => "retningsoverstyring",
        '\t' => "tabulator",
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => "linjeskift",
        c if c.is_control() => "kontrolltegn",
        c if c.is_whitespace() => "mellomrom av annen type enn vanlig mellomrom",
        _ => "usynlig tegn",
    };
    format!("U+{:04X} ({name})", c as u32)
}

/// `text` with every invisible character written out as `⟨U+200B⟩`, so a message shows
/// where it is.
pub fn reveal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_invisible(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Why `text` cannot be a code or period, if it has an invisible character:
/// `«3200⟨U+200B⟩» har et usynlig tegn, U+200B (nullbredde mellomrom), som tegn nr. 5; …`.
pub fn invisible_message(text: &str) -> Option<String> {
    let (at, c) = first_invisible(text)?;
    Some(format!(
        "«{}» har et usynlig tegn, {}, som tegn nr. {at}; koder og perioder kan bare ha \
         synlige tegn: slett tegnet (skriv verdien på nytt) og prøv igjen",
        reveal(text),
        describe(c)
    ))
}

/// `text` in Unicode normal form C; borrowed when it already is (all ASCII text is).
pub fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || unicode_normalization::is_nfc(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Is `text` in Unicode normal form C?
pub fn is_nfc(text: &str) -> bool {
    text.is_ascii() || unicode_normalization::is_nfc(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_width_bom_bidi_and_control_characters_are_invisible() {
        for c in [
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{2060}',
            '\u{feff}',
            '\u{00ad}',
            '\u{202a}',
            '\u{202e}',
            '\u{2066}',
            '\u{2069}',
            '\u{200e}',
            '\u{0000}',
            '\u{001f}',
            '\u{007f}',
            '\u{0085}',
            '\u{00a0}',
            '\u{2028}',
            '\u{3000}',
            '\u{e000}',
            '\u{fe0f}',
            '\u{3164}',
            '\u{e0001}',
            '\t',
            '\n',
        ] {
            assert!(is_invisible(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn letters_digits_and_punctuation_are_visible() {
        for c in [
            '3', 'A', 'å', 'Ø', '-', '.', ' ', '²', '½', '€', 'ß', '中', '\u{0301}',
        ] {
            assert!(!is_invisible(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn the_message_names_the_character_and_its_place() {
        assert_eq!(
            invisible_message("3200\u{200b}").as_deref(),
            Some(
                "«3200⟨U+200B⟩» har et usynlig tegn, U+200B (nullbredde mellomrom), som tegn \
                 nr. 5; koder og perioder kan bare ha synlige tegn: slett tegnet (skriv \
                 verdien på nytt) og prøv igjen"
            )
        );
        assert_eq!(first_invisible("\u{202e}0023"), Some((1, '\u{202e}')));
        assert_eq!(invisible_message("3200"), None);
    }

    #[test]
    fn names_are_composed() {
        // Å as A + combining ring (U+030A) composes to U+00C5.
        assert_eq!(nfc("A\u{030a}mot"), "\u{00c5}mot");
        assert!(matches!(nfc("Åmot"), Cow::Borrowed(_)));
        assert!(!is_nfc("A\u{030a}"));
    }
}
