//! Reading numbers the Norwegian way (files.md "Numbers"): decimal comma or point, digit
//! groups separated by spaces (also U+00A0 and U+202F) or points, `-` or `−` minus, a
//! trailing `%` or `kr`. Exact: the digits are kept as an integer and a scale, so amounts in
//! kroner reach øre without binary floating point.
//!
//! Where the text is ambiguous the rules decide once and for all:
//! - a single point and no comma is a decimal point: `1.234` is 1,234 (one point two three
//!   four), not 1234 — English exports and XLSX numeric cells write decimals that way;
//! - with a comma present, the comma is the decimal separator and points may only group;
//! - several points and no comma group digits: `1.234.567` is 1234567;
//! - a group separator stands between groups of exactly three digits (the first group 1–3);
//!   spaces and points do not mix as group separators in one number;
//! - a decimal separator needs digits on both sides: `7,` and `,5` are refused.

use std::fmt;

/// The most significant digits kept; more than fit in an `i128` are refused.
const MAX_DIGITS: usize = 36;

/// An exact decimal number: `digits × 10^−scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal {
    pub digits: i128,
    pub scale: u32,
}

impl Decimal {
    /// The nearest `f64` (correctly rounded, via the decimal text).
    pub fn to_f64(self) -> f64 {
        let negative = self.digits < 0;
        let magnitude = self.digits.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let text = if scale == 0 {
            magnitude
        } else if magnitude.len() > scale {
            let (int, frac) = magnitude.split_at(magnitude.len() - scale);
            format!("{int}.{frac}")
        } else {
            format!("0.{}{magnitude}", "0".repeat(scale - magnitude.len()))
        };
        // The text is digits and at most one point, which `f64` always parses.
        let value: f64 = text.parse().unwrap_or(f64::NAN);
        if negative {
            -value
        } else {
            value
        }
    }

    /// The amount in kroner as whole øre, exactly; `None` when it has øre fractions
    /// (`1,005`) or does not fit. Trailing zeros do not count: `1,500` is 150 øre.
    pub fn to_ore(self) -> Option<i64> {
        let mut digits = self.digits;
        let mut scale = self.scale;
        while scale > 2 && digits % 10 == 0 {
            digits /= 10;
            scale -= 1;
        }
        if scale > 2 {
            return None;
        }
        let ore = digits.checked_mul(10i128.pow(2 - scale))?;
        i64::try_from(ore).ok()
    }

    /// Is it a whole number (`5`, `5,00`)?
    pub fn to_integer(self) -> Option<i128> {
        let pow = 10i128.checked_pow(self.scale)?;
        (self.digits % pow == 0).then_some(self.digits / pow)
    }
}

/// A text that is not a number by the rules above.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct NumberError {
    pub text: String,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "«{}» er ikke et tall", self.text)
    }
}

/// Parses a number written the Norwegian (or plain) way, exactly.
pub fn parse_decimal(text: &str) -> Result<Decimal, NumberError> {
    parse(text).ok_or_else(|| NumberError {
        text: text.to_string(),
    })
}

/// Parses a number written the Norwegian (or plain) way, as the nearest `f64`.
pub fn parse_number(text: &str) -> Result<f64, NumberError> {
    parse_decimal(text).map(Decimal::to_f64)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

fn trim_spaces(s: &str) -> &str {
    s.trim_matches(|c: char| is_space(c) || c == '\t')
}

fn parse(text: &str) -> Option<Decimal> {
    let mut s = trim_spaces(text);
    if let Some(rest) = s.strip_suffix('%') {
        s = trim_spaces(rest);
    } else if s.len() >= 2
        && s.is_char_boundary(s.len() - 2)
        && s[s.len() - 2..].eq_ignore_ascii_case("kr")
    {
        s = trim_spaces(&s[..s.len() - 2]);
    }
    let (negative, body) = match s.strip_prefix('-').or_else(|| s.strip_prefix('\u{2212}')) {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || is_space(c))
    {
        return None;
    }
    let commas = body.matches(',').count();
    let points = body.matches('.').count();
    let (int_part, frac_part, point_groups) = match (commas, points) {
        (0, 0) => (body, None, false),
        (0, 1) => {
            let (i, f) = body.split_once('.')?;
            (i, Some(f), false)
        }
        (0, _) => (body, None, true),
        (1, _) => {
            let (i, f) = body.split_once(',')?;
            (i, Some(f), points > 0)
        }
        _ => return None,
    };
    let int_digits = grouped_digits(int_part, point_groups)?;
    let frac_digits = match frac_part {
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => f,
        Some(_) => return None,
        None => "",
    };
    let all = format!("{int_digits}{frac_digits}");
    let significant = all.trim_start_matches('0');
    if significant.len() > MAX_DIGITS {
        return None;
    }
    let magnitude: i128 = if significant.is_empty() {
        0
    } else {
        significant.parse().ok()?
    };
    Some(Decimal {
        digits: if negative { -magnitude } else { magnitude },
        scale: frac_digits.len() as u32,
    })
}

/// The digits of an integer part, checking its grouping: either no separators, or groups
/// split by one kind of separator (spaces, or points when `point_groups`), the first group
/// of 1–3 digits and every other of exactly 3.
fn grouped_digits(int_part: &str, point_groups: bool) -> Option<String> {
    let has_space = int_part.chars().any(is_space);
    let has_point = int_part.contains('.');
    if has_point && (!point_groups || has_space) {
        return None;
    }
    let groups: Vec<&str> = if has_point {
        int_part.split('.').collect()
    } else {
        int_part.split(is_space).collect()
    };
    if groups
        .iter()
        .any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return None;
    }
    Some(groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> (i128, u32) {
        let d = parse_decimal(text).unwrap_or_else(|e| panic!("{e}"));
        (d.digits, d.scale)
    }

    #[test]
    fn decimal_comma_and_point() {
        assert_eq!(dec("7,3"), (73, 1));
        assert_eq!(dec("7.3"), (73, 1));
        assert_eq!(dec("0,05"), (5, 2));
        assert_eq!(dec("42"), (42, 0));
        assert_eq!(dec("007"), (7, 0));
    }

    #[test]
    fn a_single_point_without_comma_is_always_a_decimal_point() {
        // 1.234 = 1 + 234/1000, not 1234
        assert_eq!(dec("1.234"), (1234, 3));
        assert_eq!(parse_number("1.234"), Ok(1.234));
    }

    #[test]
    fn space_grouping_in_all_three_kinds_of_space() {
        assert_eq!(dec("1 234 567,50"), (123456750, 2));
        assert_eq!(dec("1\u{a0}234\u{a0}567,50"), (123456750, 2));
        assert_eq!(dec("1\u{202f}234"), (1234, 0));
        assert_eq!(dec("12 345.5"), (123455, 1));
    }

    #[test]
    fn points_group_when_a_comma_is_present_or_there_are_several() {
        assert_eq!(dec("1.234.567,50"), (123456750, 2));
        assert_eq!(dec("1.234,5"), (12345, 1));
        assert_eq!(dec("1.234.567"), (1234567, 0));
    }

    #[test]
    fn minus_sign_hyphen_or_unicode_minus() {
        assert_eq!(dec("-500"), (-500, 0));
        assert_eq!(dec("\u{2212}1 200,5"), (-12005, 1));
        assert_eq!(dec("-0,5"), (-5, 1));
    }

    #[test]
    fn trailing_percent_or_kr_with_or_without_space() {
        assert_eq!(dec("7,3 %"), (73, 1));
        assert_eq!(dec("7,3%"), (73, 1));
        assert_eq!(dec("1 200 kr"), (1200, 0));
        assert_eq!(dec("1200kr"), (1200, 0));
        assert_eq!(dec("  -12,5 kr "), (-125, 1));
        assert_eq!(dec("7,3\u{a0}%"), (73, 1));
    }

    #[test]
    fn refuses_everything_else() {
        for text in [
            "7,3,1",
            "abc",
            "1e5",
            "1E5",
            "NaN",
            "nan",
            "inf",
            "-inf",
            "",
            " ",
            "+",
            "+5",
            "-",
            "−",
            "12..5",
            "1.23.456",
            "1.234.56",
            "12 34",
            "1  234",
            "1234 567",
            "1 234.567,5",
            "7,",
            ",5",
            "5 % %",
            "kr",
            "%",
            "--5",
            "5-",
            "0x10",
            "1,2.3",
            "1.2,3",
            "∞",
            "5 kr %",
            "1 2",
            "1.234.5678",
        ] {
            assert!(parse_decimal(text).is_err(), "«{text}» should be refused");
        }
    }

    #[test]
    fn error_names_the_text_in_norwegian() {
        let e = parse_decimal("7,3,1").unwrap_err();
        assert_eq!(e.to_string(), "«7,3,1» er ikke et tall");
    }

    #[test]
    fn too_many_digits_are_refused_not_wrapped() {
        assert!(parse_decimal(&"9".repeat(37)).is_err());
        assert!(parse_decimal(&"9".repeat(36)).is_ok());
        // leading zeros do not count
        assert!(parse_decimal(&format!("{}1", "0".repeat(50))).is_ok());
    }

    #[test]
    fn kroner_to_ore_exactly() {
        // 1 234 567,50 kr = 123 456 750 øre
        assert_eq!(
            parse_decimal("1 234 567,50").ok().and_then(Decimal::to_ore),
            Some(123_456_750)
        );
        assert_eq!(
            parse_decimal("-0,1").ok().and_then(Decimal::to_ore),
            Some(-10)
        );
        assert_eq!(
            parse_decimal("12").ok().and_then(Decimal::to_ore),
            Some(1200)
        );
        // 1,500 has a trailing zero: exactly 150 øre
        assert_eq!(
            parse_decimal("1,500").ok().and_then(Decimal::to_ore),
            Some(150)
        );
        // 1,005 kr is not a whole number of øre
        assert_eq!(parse_decimal("1,005").ok().and_then(Decimal::to_ore), None);
        // 0.1 + 0.2 in binary floating point is 0.30000000000000004; in øre it is 10 + 20 = 30
        let a = parse_decimal("0,1").ok().and_then(Decimal::to_ore);
        let b = parse_decimal("0,2").ok().and_then(Decimal::to_ore);
        assert_eq!(a.zip(b).map(|(a, b)| a + b), Some(30));
    }

    #[test]
    fn to_f64_is_the_nearest_double() {
        assert_eq!(parse_number("7,3"), Ok(7.3));
        assert_eq!(parse_number("-0,05"), Ok(-0.05));
        assert_eq!(parse_number("1 234 567,50"), Ok(1_234_567.5));
        assert_eq!(parse_number("0,000001"), Ok(0.000001));
    }

    #[test]
    fn whole_numbers_are_recognised() {
        assert_eq!(
            parse_decimal("5,00").ok().and_then(Decimal::to_integer),
            Some(5)
        );
        assert_eq!(
            parse_decimal("5,5").ok().and_then(Decimal::to_integer),
            None
        );
    }
}
