//! Numbers as Norwegian users read them: rounding half away from zero to an indicator's
//! decimals, decimal comma, digit groups of three separated by a space, `−` (U+2212) for
//! minus, and the unit label after a space: `7,3 %`, `1 234 567 kr`, `−1,7`.

use crate::number::Decimal;

/// Rounds half away from zero to `decimals` places, on the decimal the float stands for
/// (`Decimal::from_f64`, the shortest that reads back as it): 6.95 is 6.9499999… in binary
/// and still rounds to 7.0, and 158 468,485 to 158 468,49.
pub fn round_half_away(value: f64, decimals: u8) -> f64 {
    if let Some(rounded) = Decimal::round_clear_of_half(value, u32::from(decimals)) {
        return rounded;
    }
    match Decimal::from_f64(value) {
        Some(d) => {
            let result = d.round(u32::from(decimals)).to_f64();
            if result == 0.0 {
                0.0 // never −0
            } else {
                result
            }
        }
        None => value,
    }
}

/// `1234567.5` with 1 decimal → `1 234 567,5`; `-1.7` → `−1,7`. Rounds half away from zero.
pub fn number(value: f64, decimals: u8) -> String {
    match Decimal::from_f64(value) {
        Some(d) => decimal(d.round(u32::from(decimals)), decimals),
        None => value.to_string(),
    }
}

/// An exact decimal with exactly `decimals` places (rounded half away from zero if it has
/// more): `1234567,5` → `1 234 567,50` with 2.
pub fn decimal(value: Decimal, decimals: u8) -> String {
    let d = value.round(u32::from(decimals));
    let pad = u32::from(decimals) - d.scale;
    let digits = d.digits.unsigned_abs().to_string() + &"0".repeat(pad as usize);
    let decimals = decimals as usize;
    let digits = if digits.len() <= decimals {
        format!("{}{digits}", "0".repeat(decimals + 1 - digits.len()))
    } else {
        digits
    };
    let (int_part, frac_part) = digits.split_at(digits.len() - decimals);
    let mut out = String::new();
    if d.digits < 0 {
        out.push('−');
    }
    out.push_str(&group_digits(int_part));
    if !frac_part.is_empty() {
        out.push(',');
        out.push_str(frac_part);
    }
    out
}

/// Groups a string of digits in threes from the right with spaces: `1234567` → `1 234 567`.
pub fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A value with its unit label: `7,3 %`, `1 234 567 kr`, `4,5 skår`; no label, no suffix.
pub fn with_unit(value: f64, decimals: u8, unit_label: &str) -> String {
    labelled(number(value, decimals), unit_label)
}

/// An exact decimal with its unit label, as `with_unit`.
pub fn decimal_with_unit(value: Decimal, decimals: u8, unit_label: &str) -> String {
    labelled(decimal(value, decimals), unit_label)
}

fn labelled(n: String, unit_label: &str) -> String {
    if unit_label.trim().is_empty() {
        n
    } else {
        format!("{n} {}", unit_label.trim())
    }
}

/// A reference series beside a value: `landet 4,3`. A name that starts with a common noun
/// (`Landet`, `Landet uten Oslo`, `Snitt barnehager`, `Fylket`) starts in lower case, as it
/// follows a value mid-sentence; a place or a group keeps its capitals (`Bærum 4,0`,
/// `KOSTRA-gruppe 13 4,0`).
pub fn reference_label(series: &str, display: &str) -> String {
    const COMMON: [&str; 6] = [
        "Landet",
        "Snitt",
        "Gjennomsnitt",
        "Fylket",
        "Kommunen",
        "Median",
    ];
    let first = series.split_whitespace().next().unwrap_or("");
    let name = if COMMON.contains(&first) {
        let mut chars = series.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        series.to_string()
    };
    format!("{name} {display}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_series_follows_the_value_in_lower_case_unless_an_abbreviation() {
        assert_eq!(reference_label("Landet", "4,3"), "landet 4,3");
        assert_eq!(
            reference_label("KOSTRA-gruppe 13", "7,3 %"),
            "KOSTRA-gruppe 13 7,3 %"
        );
        assert_eq!(reference_label("Bærum", "4,0"), "Bærum 4,0");
        assert_eq!(
            reference_label("Landet uten Oslo", "4,2"),
            "landet uten Oslo 4,2"
        );
    }

    #[test]
    fn rounds_half_away_from_zero_despite_binary_noise() {
        // 6.96 → 7.0; 6.95 is 6.94999… in binary and must still round up to 7.0.
        assert_eq!(round_half_away(6.96, 1), 7.0);
        assert_eq!(round_half_away(6.95, 1), 7.0);
        assert_eq!(round_half_away(-6.95, 1), -7.0);
        assert_eq!(round_half_away(2.5, 0), 3.0);
        assert_eq!(round_half_away(-2.5, 0), -3.0);
        assert_eq!(round_half_away(1.005, 2), 1.01);
        assert_eq!(round_half_away(6.94, 1), 6.9);
        assert_eq!(round_half_away(-0.04, 1), 0.0);
    }

    #[test]
    fn norwegian_number_formats() {
        assert_eq!(with_unit(7.2463, 1, "%"), "7,2 %");
        assert_eq!(with_unit(1234567.0, 0, "kr"), "1 234 567 kr");
        assert_eq!(number(-1.7, 1), "−1,7");
        assert_eq!(number(-0.04, 1), "0,0");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(1000.0, 0), "1 000");
        assert_eq!(number(1234.5, 2), "1 234,50");
        assert_eq!(with_unit(4.5, 1, ""), "4,5");
        assert_eq!(number(0.05, 2), "0,05");
        assert_eq!(number(-0.5, 0), "−1");
    }

    #[test]
    fn rounds_the_decimal_a_float_stands_for() {
        // 158 468,485 is 158468.48499999998… in binary; the typed decimal rounds to ,49.
        assert_eq!(round_half_away(158_468.485, 2), 158_468.49);
        assert_eq!(number(158_468.485, 2), "158 468,49");
        // 118 814,945 → 118 814,95 (a quarter's sum the float rounds to ,94).
        assert_eq!(number(118_814.945, 2), "118 814,95");
    }

    #[test]
    fn exact_decimals_are_written_with_their_places() {
        let d = |digits, scale| Decimal { digits, scale };
        assert_eq!(decimal(d(15_846_849, 2), 2), "158 468,49");
        assert_eq!(decimal(d(7, 0), 2), "7,00");
        assert_eq!(decimal(d(-50, 3), 1), "−0,1");
        assert_eq!(decimal(d(-5, 3), 1), "0,0");
        assert_eq!(decimal(d(-4, 3), 2), "0,00");
        assert_eq!(decimal(d(12_345, 4), 4), "1,2345");
        assert_eq!(
            decimal(d(10_000_000_000_000_001, 4), 4),
            "1 000 000 000 000,0001"
        );
        assert_eq!(decimal_with_unit(d(72, 1), 1, "%"), "7,2 %");
    }
}
