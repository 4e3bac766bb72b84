//! Numbers as Norwegian users read them: rounding half away from zero to an indicator's
//! decimals, decimal comma, digit groups of three separated by a space, `−` (U+2212) for
//! minus, and the unit label after a space: `7,3 %`, `1 234 567 kr`, `−1,7`.

/// Rounds half away from zero to `decimals` places. The scaled value is first snapped to
/// nine significant decimals, so that binary noise (6.95 stored as 6.9499999…) cannot turn
/// a half into a value below it.
pub fn round_half_away(value: f64, decimals: u8) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    let scaled = value * scale;
    let snapped = (scaled * 1e9).round() / 1e9;
    let rounded = (snapped.abs() + 0.5).floor() * snapped.signum();
    let result = rounded / scale;
    if result == 0.0 {
        0.0 // never −0
    } else {
        result
    }
}

/// `1234567.5` with 1 decimal → `1 234 567,5`; `-1.7` → `−1,7`. Rounds half away from zero.
pub fn number(value: f64, decimals: u8) -> String {
    let rounded = round_half_away(value, decimals);
    let text = format!("{:.*}", decimals as usize, rounded.abs());
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::new();
    if rounded < 0.0 {
        out.push('−');
    }
    out.push_str(&group_digits(int_part));
    if let Some(f) = frac_part {
        out.push(',');
        out.push_str(f);
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
    let n = number(value, decimals);
    if unit_label.trim().is_empty() {
        n
    } else {
        format!("{n} {}", unit_label.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
