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
    /// The nearest `f64`, correctly rounded.
    pub fn to_f64(self) -> f64 {
        let negative = self.digits < 0;
        let magnitude = self.digits.unsigned_abs();
        let value = match POWERS_OF_TEN.get(self.scale as usize) {
            // Both operands are exact in an `f64` (at most 2^53, and 10^0‥10^22), so the one
            // IEEE division is correctly rounded; this is every number a person types.
            Some(power) if magnitude <= 1 << 53 => magnitude as f64 / power,
            _ => slow_f64(magnitude, self.scale),
        };
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

    /// The decimal with the fewest decimals that reads back as `x` (`to_f64` gives `x`
    /// again): the number a person typed, when it was stored as an `f64` — every decimal of
    /// up to 15 significant digits survives that. A computed `0.1 + 0.2` gives
    /// 0,30000000000000004 (seventeen digits). `None` for NaN, infinities and magnitudes
    /// beyond `i128`.
    pub fn from_f64(x: f64) -> Option<Decimal> {
        if !x.is_finite() {
            return None;
        }
        if x == 0.0 {
            return Some(Decimal {
                digits: 0,
                scale: 0,
            });
        }
        if let Some((d, true)) = Decimal::near_nine(x) {
            return Some(d);
        }
        // While |x × 10^s| < 2^51 the float product is within 1/4 of the true one, so its
        // nearest integer is the only candidate at scale s, and the check is exact: an
        // integer ≤ 2^53 over an exact power of ten is one correctly rounded division.
        for (s, power) in POWERS_OF_TEN.iter().enumerate() {
            let t = x * power;
            if t.abs() >= (1u64 << 51) as f64 {
                break;
            }
            let m = t.round();
            if m / power == x {
                return Some(Decimal {
                    digits: m as i128,
                    scale: s as u32,
                });
            }
        }
        shortest_text(x)
    }

    /// `x` rounded half away from zero to `decimals` places — what
    /// `Decimal::from_f64(x)?.round(decimals).to_f64()` gives — found with one
    /// multiplication when `x × 10^decimals` lies clear of a half; `None` when it lies near
    /// one (or is too large), and then the decimal `x` stands for must be found first.
    ///
    /// Why this is the same: the decimal `x` stands for is within half an ulp of `x`, and the
    /// product within half an ulp of its own, so the scaled decimal is within about one ulp
    /// of `t`; at more than eight ulps from a half both round to the same integer `m`, and
    /// `m / 10^decimals` is the one correctly rounded division `to_f64` makes.
    pub fn round_clear_of_half(x: f64, decimals: u32) -> Option<f64> {
        let power = *POWERS_OF_TEN.get(decimals as usize)?;
        let t = (x * power).abs();
        if t.is_nan() || t >= (1u64 << 51) as f64 {
            return None; // also the infinities
        }
        // Exact: t − ⌊t⌋ loses nothing below 2^52.
        let fraction = t - t.floor();
        if (fraction - 0.5).abs() <= 8.0 * f64::EPSILON * t.max(1.0) {
            return None;
        }
        let rounded = t.round() / power;
        Some(if rounded == 0.0 {
            0.0 // never −0
        } else if x < 0.0 {
            -rounded
        } else {
            rounded
        })
    }

    /// For |x| × 10^9 < 2^51 (|x| below about 2,25 million): the nearest decimal with at
    /// most nine decimals, and whether it reads back as `x` — then it is the one `from_f64`
    /// gives, found with one multiplication. `None` for larger |x|.
    pub fn near_nine(x: f64) -> Option<(Decimal, bool)> {
        let m = nine_decimal_digits(x)?;
        // Exact: |m| < 2^51.
        let reads_back = m as f64 / 1e9 == x;
        let (digits, scale) = strip_zeros(m, 9);
        Some((
            Decimal {
                digits: i128::from(digits),
                scale,
            },
            reads_back,
        ))
    }

    /// Rounded half away from zero to `decimals` places (unchanged when it has no more).
    pub fn round(self, decimals: u32) -> Decimal {
        if self.scale <= decimals {
            return self;
        }
        let Some(p) = 10i128.checked_pow(self.scale - decimals) else {
            // 10^39 and beyond exceed twice any i128: the result rounds to 0.
            return Decimal {
                digits: 0,
                scale: decimals,
            };
        };
        let (q, r) = (self.digits / p, self.digits % p);
        // |r| ≥ p/2, without overflow: half away from zero.
        let away = r.unsigned_abs() >= (p as u128) - r.unsigned_abs();
        Decimal {
            digits: if away { q + self.digits.signum() } else { q },
            scale: decimals,
        }
    }

    /// `self × k` exactly; `None` if it does not fit.
    pub fn times(self, k: i128) -> Option<Decimal> {
        Some(Decimal {
            digits: self.digits.checked_mul(k)?,
            scale: self.scale,
        })
    }

    /// Compares the two numbers exactly, whatever their scales.
    pub fn cmp_exact(self, other: Decimal) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        if self.scale == other.scale {
            return self.digits.cmp(&other.digits);
        }
        // The one with the smaller scale is brought to the larger; if that overflows, its
        // magnitude exceeds any i128, so its sign decides.
        let (small, large, flipped) = if self.scale < other.scale {
            (self, other, false)
        } else {
            (other, self, true)
        };
        let ordering = match upscale(small.digits, large.scale - small.scale) {
            Some(d) => d.cmp(&large.digits),
            None if small.digits > 0 => Ordering::Greater,
            None => Ordering::Less,
        };
        if flipped {
            ordering.reverse()
        } else {
            ordering
        }
    }

    /// Is it a whole number (`5`, `5,00`)?
    pub fn to_integer(self) -> Option<i128> {
        let pow = 10i128.checked_pow(self.scale)?;
        (self.digits % pow == 0).then_some(self.digits / pow)
    }
}

/// `x` × 10^9 rounded to an integer, for |x| × 10^9 < 2^51 (|x| below about 2,25 million):
/// the digits of the nearest number with nine decimals (`Decimal::near_nine`). `None` for
/// larger |x| and NaN.
///
/// As in `Decimal::from_f64`: below 2^51 the float product is within 1/4 of the true one,
/// so a nine-decimal number that reads back as `x` is this integer; at most one can, as the
/// floats around `x` are closer together than 10^−9 here.
#[inline]
pub(crate) fn nine_decimal_digits(x: f64) -> Option<i64> {
    let t = x * 1e9;
    if t.is_nan() || t.abs() >= (1u64 << 51) as f64 {
        return None;
    }
    Some(t.round() as i64)
}

/// `digits` at `scale` (at most 15) with its trailing zeros taken off while it has
/// decimals: `(1_500_000_000, 9)` is `(15, 1)`, `(0, 9)` is `(0, 0)`. Eight, four, two and
/// one zero at a time (any count up to 15 is a sum of those), so a whole number costs four
/// checks, not nine: it runs for every figure the engine reads (issue 17).
#[inline]
pub(crate) fn strip_zeros(mut digits: i64, mut scale: u32) -> (i64, u32) {
    for (k, p) in [(8, 100_000_000), (4, 10_000), (2, 100), (1, 10)] {
        if scale >= k && digits % p == 0 {
            digits /= p;
            scale -= k;
        }
    }
    (digits, scale)
}

/// `digits × 10^k`, `None` if it does not fit.
fn upscale(digits: i128, k: u32) -> Option<i128> {
    if digits == 0 {
        return Some(0);
    }
    10i128.checked_pow(k)?.checked_mul(digits)
}

/// The shortest decimal that reads back as `x`, from Rust's formatter (which writes exactly
/// that): `-1.5846848499999998e5` is digits −15846848499999998 at scale 11.
fn shortest_text(x: f64) -> Option<Decimal> {
    let text = format!("{x:e}");
    let (mantissa, exponent) = text.split_once('e')?;
    let exponent: i64 = exponent.parse().ok()?;
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: i128 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        digits = digits
            .checked_mul(10)?
            .checked_add(i128::from(b.checked_sub(b'0')?))?;
    }
    let scale = frac.len() as i64 - exponent;
    let (digits, scale) = if scale < 0 {
        (upscale(digits, u32::try_from(-scale).ok()?)?, 0)
    } else {
        (digits, u32::try_from(scale).ok()?)
    };
    Some(Decimal {
        digits: if negative { -digits } else { digits },
        scale,
    })
}

/// The powers of ten that are exact in an `f64`.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `magnitude × 10^−scale` via the decimal text, which Rust's parser rounds correctly.
fn slow_f64(magnitude: u128, scale: u32) -> f64 {
    let magnitude = magnitude.to_string();
    let scale = scale as usize;
    let text = if scale == 0 {
        magnitude
    } else if magnitude.len() > scale {
        let (int, frac) = magnitude.split_at(magnitude.len() - scale);
        format!("{int}.{frac}")
    } else {
        format!("0.{}{magnitude}", "0".repeat(scale - magnitude.len()))
    };
    // The text is digits and at most one point, which `f64` always parses.
    text.parse().unwrap_or(f64::NAN)
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
    if !grouping_is_valid(int_part, point_groups) {
        return None;
    }
    let frac_digits = match frac_part {
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => f,
        Some(_) => return None,
        None => "",
    };
    // The digits without separators, leading zeros skipped, counted and accumulated as
    // they come: no text is built for a number read a million times in an import.
    let mut magnitude: i128 = 0;
    let mut significant = 0usize;
    for b in int_part.bytes().chain(frac_digits.bytes()) {
        if !b.is_ascii_digit() || (significant == 0 && b == b'0') {
            continue;
        }
        significant += 1;
        if significant > MAX_DIGITS {
            return None;
        }
        // 36 digits stay below 10^36 < i128::MAX.
        magnitude = magnitude * 10 + i128::from(b - b'0');
    }
    Some(Decimal {
        digits: if negative { -magnitude } else { magnitude },
        scale: frac_digits.len() as u32,
    })
}

/// Checks the grouping of an integer part: either no separators, or groups split by one
/// kind of separator (spaces, or points when `point_groups`), the first group of 1–3
/// digits and every other of exactly 3.
fn grouping_is_valid(int_part: &str, point_groups: bool) -> bool {
    let has_space = int_part.chars().any(is_space);
    let has_point = int_part.contains('.');
    if has_point && (!point_groups || has_space) {
        return false;
    }
    if has_point {
        groups_are_valid(int_part.split('.'))
    } else {
        groups_are_valid(int_part.split(is_space))
    }
}

fn groups_are_valid<'a>(mut groups: impl Iterator<Item = &'a str>) -> bool {
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let Some(first) = groups.next() else {
        return false;
    };
    if !digits(first) {
        return false;
    }
    let mut several = false;
    for group in groups {
        if !digits(group) || group.len() != 3 {
            return false;
        }
        several = true;
    }
    !several || first.len() <= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_clear_of_a_half_gives_what_the_decimal_gives() {
        // Typed decimals at a half: 2,675 is 2,674999999999999822… in binary and still rounds
        // to 2,68 (half away from zero on the decimal typed); the fast path must step aside.
        for (x, decimals, expected) in [
            (2.675, 2, 2.68),
            (1.005, 2, 1.01),
            (6.95, 1, 7.0),
            (158_468.485, 2, 158_468.49),
            (-0.125, 2, -0.13),
            (0.5, 0, 1.0),
            (-2.5, 0, -3.0),
        ] {
            assert_eq!(Decimal::round_clear_of_half(x, decimals), None, "{x}");
            assert_eq!(
                crate::format::round_half_away(x, decimals as u8),
                expected,
                "{x}"
            );
        }
        // Clear of a half: 6,3 × 10 = 63,000000000000007 rounds to 63, 63 / 10 = 6,3; and
        // −0,04 to one decimal is 0, never −0.
        assert_eq!(Decimal::round_clear_of_half(6.3, 1), Some(6.3));
        assert_eq!(Decimal::round_clear_of_half(0.1 + 0.2, 6), Some(0.3));
        assert_eq!(
            Decimal::round_clear_of_half(-0.04, 1).map(f64::to_bits),
            Some(0.0f64.to_bits())
        );
        assert_eq!(Decimal::round_clear_of_half(f64::NAN, 1), None);
        assert_eq!(Decimal::round_clear_of_half(1e300, 0), None);

        // Values of every kind: wherever the fast path answers, it is the decimal's answer,
        // bit for bit.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            // splitmix64
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let (mut asked, mut answered) = (0, 0);
        for i in 0..200_000u32 {
            let bits = next();
            let unit = (bits >> 11) as f64 / (1u64 << 53) as f64;
            let x = match i % 4 {
                // Computed figures of any size, as a report divides them.
                0 => (unit - 0.5) * POWERS_OF_TEN[(bits % 13) as usize] / 1e6,
                // Typed decimals: up to 7 decimals, many of them halves at fewer.
                1 => (bits % 20_000_001) as f64 / POWERS_OF_TEN[(bits % 8) as usize] - 1000.0,
                // Sums of typed decimals, off by their binary error.
                2 => (bits % 1000) as f64 / 100.0 + ((bits >> 20) % 1000) as f64 / 1000.0,
                // Any double at all.
                _ => f64::from_bits(bits),
            };
            let decimals = (next() % 10) as u32;
            asked += 1;
            if let Some(fast) = Decimal::round_clear_of_half(x, decimals) {
                answered += 1;
                let slow = Decimal::from_f64(x)
                    .map(|d| d.round(decimals).to_f64())
                    .unwrap_or_else(|| panic!("{x} has no decimal"));
                assert_eq!(
                    fast.to_bits(),
                    slow.to_bits(),
                    "{x} to {decimals} decimals: {fast} against {slow}"
                );
            }
        }
        // Most values are clear of a half (the test would prove nothing otherwise).
        assert!(answered * 10 > asked * 7, "{answered} of {asked}");
    }

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
    fn to_f64_is_the_nearest_double_on_both_paths() {
        // Rust's own parser rounds the plain decimal text correctly; both the quick path
        // (≤ 2^53 digits, scale ≤ 22) and the slow path (beyond either) must agree with it.
        for (norwegian, plain) in [
            ("7,3", "7.3"),
            ("-0,05", "-0.05"),
            ("0,30000000000000004", "0.30000000000000004"),
            ("9 007 199 254 740 993", "9007199254740993"),
            ("123456789,123456789", "123456789.123456789"),
            ("0,00000000000000000000001", "0.00000000000000000000001"),
            ("1 234 567,50", "1234567.50"),
        ] {
            let expected: f64 = plain.parse().unwrap_or(f64::NAN);
            assert_eq!(parse_number(norwegian), Ok(expected), "{norwegian}");
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

    fn d(digits: i128, scale: u32) -> Decimal {
        Decimal { digits, scale }
    }

    #[test]
    fn from_f64_gives_back_the_typed_decimal() {
        assert_eq!(Decimal::from_f64(158_468.485), Some(d(158_468_485, 3)));
        assert_eq!(Decimal::from_f64(-6.95), Some(d(-695, 2)));
        assert_eq!(Decimal::from_f64(7.0), Some(d(7, 0)));
        assert_eq!(Decimal::from_f64(0.0), Some(d(0, 0)));
        assert_eq!(Decimal::from_f64(-0.00000000001), Some(d(-1, 11)));
        assert_eq!(
            Decimal::from_f64(1e20),
            Some(d(100_000_000_000_000_000_000, 0))
        );
        // 0.1 + 0.2 is not 0.3 in binary: its shortest decimal has seventeen digits.
        assert_eq!(
            Decimal::from_f64(0.1 + 0.2),
            Some(d(30_000_000_000_000_004, 17))
        );
        assert_eq!(Decimal::from_f64(f64::NAN), None);
        assert_eq!(Decimal::from_f64(f64::INFINITY), None);
        assert_eq!(Decimal::from_f64(1e300), None);
    }

    #[test]
    fn near_nine_is_the_nearest_nine_decimal_number() {
        assert_eq!(Decimal::near_nine(7.3), Some((d(73, 1), true)));
        assert_eq!(Decimal::near_nine(0.0), Some((d(0, 0), true)));
        assert_eq!(Decimal::near_nine(-0.125), Some((d(-125, 3), true)));
        // 1/3 needs more than nine decimals: 0,333333333 is the nearest, and not it.
        assert_eq!(
            Decimal::near_nine(1.0 / 3.0),
            Some((d(333_333_333, 9), false))
        );
        // 0.1 + 0.2 is nearest 0,3 at nine decimals, but 0,3 does not read back as it.
        assert_eq!(Decimal::near_nine(0.1 + 0.2), Some((d(3, 1), false)));
        assert_eq!(Decimal::near_nine(3e6), None);
        // Whole numbers lose all nine zeros; 1 000 keeps its own (only decimals go).
        assert_eq!(Decimal::near_nine(1000.0), Some((d(1000, 0), true)));
        assert_eq!(Decimal::near_nine(-42.5), Some((d(-425, 1), true)));
    }

    #[test]
    fn strip_zeros_takes_off_what_one_at_a_time_would() {
        let one_at_a_time = |mut digits: i64, mut scale: u32| {
            while scale > 0 && digits % 10 == 0 {
                digits /= 10;
                scale -= 1;
            }
            (digits, scale)
        };
        // Every count of trailing zeros 0..=15 under every scale 0..=15, signs and a digit
        // before them that is not a zero (7) or ends a longer number (1 234 567).
        for scale in 0..=15u32 {
            for zeros in 0..=15u32 {
                for head in [7i64, -7, 1_234, -1_234_567] {
                    let Some(digits) = 10i64.checked_pow(zeros).and_then(|p| head.checked_mul(p))
                    else {
                        continue;
                    };
                    assert_eq!(
                        strip_zeros(digits, scale),
                        one_at_a_time(digits, scale),
                        "{digits} at {scale}"
                    );
                }
            }
            assert_eq!(strip_zeros(0, scale), (0, 0));
        }
    }

    #[test]
    fn round_is_half_away_from_zero() {
        // 158 468,485 → 158 468,49; −2,5 → −3; 2,4999 → 2; 0,05 → 0,1 with one decimal.
        assert_eq!(d(158_468_485, 3).round(2), d(15_846_849, 2));
        assert_eq!(d(-25, 1).round(0), d(-3, 0));
        assert_eq!(d(24_999, 4).round(0), d(2, 0));
        assert_eq!(d(5, 2).round(1), d(1, 1));
        assert_eq!(d(-4, 2).round(1), d(0, 1));
        assert_eq!(d(7, 0).round(2), d(7, 0));
        assert_eq!(d(i128::MAX, 40).round(0), d(0, 0));
    }

    #[test]
    fn cmp_exact_across_scales() {
        use std::cmp::Ordering::*;
        // 0 > −0,00000000001; 1 000 000 < 1 000 000,000001; 0,30 = 0,3.
        assert_eq!(d(0, 1).cmp_exact(d(-1, 11)), Greater);
        assert_eq!(d(1_000_000, 0).cmp_exact(d(1_000_000_000_001, 6)), Less);
        assert_eq!(d(30, 2).cmp_exact(d(3, 1)), Equal);
        // 10^38 at scale 0 brought to scale 2 overflows: it is still the larger.
        assert_eq!(d(10i128.pow(38), 0).cmp_exact(d(1, 2)), Greater);
        assert_eq!(d(-(10i128.pow(38)), 0).cmp_exact(d(1, 2)), Less);
        assert_eq!(d(1, 2).cmp_exact(d(10i128.pow(38), 0)), Less);
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
