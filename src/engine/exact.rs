//! Exact arithmetic for what a målkart shows (engine.md §5: status compares the value as
//! displayed). Figures reach the engine as `f64`; each is read as the decimal it stands for
//! (`Decimal::from_f64`) and kept as a scaled integer, one common scale per indicator
//! (`Scaled`). Sums and counts stay integers; a mean or a ratio is a `Ratio` of two integers,
//! divided once, when it is rounded half away from zero to the indicator's decimals.
//!
//! Where exactness ends: a figure with more than `MAX_SCALE` decimals (a computed value such
//! as 1/3) is rounded to that many first, and the common scale is lowered until every
//! figure of the indicator fits an `i64` (values beyond 10^9 keep fewer than nine decimals:
//! 10^12 keeps six). Past that (and when an intermediate product would overflow an `i128`)
//! the result has no exact form and the `f64` value is rounded instead.

use crate::number::{nine_decimal_digits, strip_zeros, Decimal};

/// The most decimals a figure keeps.
pub(crate) const MAX_SCALE: u32 = 9;

/// The largest scaled figure kept (2^62), so that sums over up to 2^64 rows fit an `i128`.
const MAX_SCALED: u128 = 1 << 62;

/// An exact rational `num / den`, `den > 0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ratio {
    pub num: i128,
    pub den: i128,
}

impl Ratio {
    /// `num / den`; `None` when `den` is 0.
    pub(crate) fn new(num: i128, den: i128) -> Option<Ratio> {
        match den {
            0 => None,
            d if d < 0 => Some(Ratio {
                num: num.checked_neg()?,
                den: d.checked_neg()?,
            }),
            d => Some(Ratio { num, den: d }),
        }
    }

    /// Rounded half away from zero to `decimals` places; `None` if it does not fit.
    pub(crate) fn round(self, decimals: u8) -> Option<Decimal> {
        let p = 10i128.checked_pow(u32::from(decimals))?;
        let (q, r) = (self.num / self.den, self.num % self.den);
        // |r| < den, so r × 10^d overflows only for denominators beyond 10^34.
        let r = r.checked_mul(p)?;
        let (fq, fr) = (r / self.den, r % self.den);
        let mut digits = q.checked_mul(p)?.checked_add(fq)?;
        // |fr| ≥ den / 2, without overflow: the rest is at least a half, away from zero.
        if fr.unsigned_abs() >= self.den.unsigned_abs() - fr.unsigned_abs() {
            digits = digits.checked_add(self.num.signum())?;
        }
        Some(Decimal {
            digits,
            scale: u32::from(decimals),
        })
    }

    /// `self × k`.
    pub(crate) fn times(self, k: Decimal) -> Option<Ratio> {
        Ratio::new(
            self.num.checked_mul(k.digits)?,
            self.den.checked_mul(10i128.checked_pow(k.scale)?)?,
        )
    }
}

/// One indicator's figures as integers at a common scale: figure = mantissa × 10^−scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Scale(pub u32);

impl Scale {
    /// The common scale for these figures: the most decimals any of them has (at most
    /// `MAX_SCALE`), lowered until every one fits; `None` when even whole numbers do not.
    pub(crate) fn common(figures: impl IntoIterator<Item = Decimal>) -> Option<Scale> {
        let mut scale = 0u32;
        let mut largest = 0u128;
        for d in figures {
            scale = scale.max(d.scale.min(MAX_SCALE));
            largest = largest.max(whole_part(d));
        }
        // The largest whole part times 10^scale (plus one for a rounded-up fraction) must
        // stay below 2^62.
        loop {
            let fits = 10u128
                .checked_pow(scale)
                .and_then(|p| largest.checked_add(1)?.checked_mul(p))
                .is_some_and(|v| v < MAX_SCALED);
            if fits {
                return Some(Scale(scale));
            }
            scale = scale.checked_sub(1)?;
        }
    }

    /// `x` as a mantissa at this scale (rounded half away from zero if it has more
    /// decimals). The scale was chosen so that it fits.
    pub(crate) fn mantissa(self, d: Decimal) -> i64 {
        let d = d.round(self.0);
        let up = 10i128.pow(self.0 - d.scale);
        i64::try_from(d.digits * up).unwrap_or(0)
    }
}

/// Two columns of figures (a ratio's numerators and denominators; `b` empty otherwise) as
/// mantissas at their common scale (`Scale::common`), each `Scale::mantissa` of its
/// `figure`; `None` when some figure has no exact form.
pub(crate) fn mantissas(a: &[f64], b: &[f64]) -> Option<(Scale, Vec<i64>, Vec<i64>)> {
    nine_decimals(a, b).or_else(|| each_decimal(a, b))
}

/// `mantissas` by the book: every figure's `Decimal`, their common scale, each one's
/// mantissa at it.
fn each_decimal(a: &[f64], b: &[f64]) -> Option<(Scale, Vec<i64>, Vec<i64>)> {
    let decimals: Vec<Decimal> = a
        .iter()
        .chain(b)
        .map(|&x| figure(x))
        .collect::<Option<_>>()?;
    let scale = Scale::common(decimals.iter().copied())?;
    let (da, db) = decimals.split_at(a.len());
    let mantissa = |&d: &Decimal| scale.mantissa(d);
    Some((
        scale,
        da.iter().map(mantissa).collect(),
        db.iter().map(mantissa).collect(),
    ))
}

/// `mantissas` when every figure is within `Decimal::near_nine`'s reach (below about 2,25
/// million), the common case, without a `Decimal` per figure (issue 17: this runs for every
/// figure of a cold start). Each figure is then its nearest nine-decimal number, `m` × 10^−9
/// with `m` = (x × 10^9) rounded; its decimals are nine less the zeros `m` ends with. No
/// scale needs lowering (2,25 million × 10^9 is far below 2^62), so the common scale is nine
/// less the zeros every `m` shares, `k`, and each mantissa is `m` / 10^k exactly.
fn nine_decimals(a: &[f64], b: &[f64]) -> Option<(Scale, Vec<i64>, Vec<i64>)> {
    let mut shared = MAX_SCALE; // the zeros every m ends with so far
    let mut nines = |xs: &[f64]| -> Option<Vec<i64>> {
        let mut out = Vec::with_capacity(xs.len());
        for &x in xs {
            let m = nine_decimal_digits(x)?;
            if shared > 0 {
                shared = trailing_zeros(m, shared);
            }
            out.push(m);
        }
        Some(out)
    };
    let (mut ea, mut eb) = (nines(a)?, nines(b)?);
    divide_all(&mut ea, shared);
    divide_all(&mut eb, shared);
    Some((Scale(MAX_SCALE - shared), ea, eb))
}

/// How many zeros `m` ends with, counting no further than `most` (at most 15).
fn trailing_zeros(m: i64, most: u32) -> u32 {
    most - strip_zeros(m, most).1
}

/// Each of `ms` divided by 10^`k` (`k` ≤ 9; they are all multiples of it): one division by
/// a constant each, which the compiler makes a multiplication.
fn divide_all(ms: &mut [i64], k: u32) {
    fn by<const P: i64>(ms: &mut [i64]) {
        for m in ms {
            *m /= P;
        }
    }
    match k {
        1 => by::<10>(ms),
        2 => by::<100>(ms),
        3 => by::<1_000>(ms),
        4 => by::<10_000>(ms),
        5 => by::<100_000>(ms),
        6 => by::<1_000_000>(ms),
        7 => by::<10_000_000>(ms),
        8 => by::<100_000_000>(ms),
        9 => by::<1_000_000_000>(ms),
        _ => {}
    }
}

/// A figure as the decimal it stands for, taken at nine decimals (nearest) when it has more:
/// one multiplication for all but figures beyond about 2,25 million.
pub(crate) fn figure(x: f64) -> Option<Decimal> {
    match Decimal::near_nine(x) {
        Some((d, _)) => Some(d),
        None => Decimal::from_f64(x),
    }
}

/// |d| without its fraction, saturating.
fn whole_part(d: Decimal) -> u128 {
    if d.scale == 0 {
        return d.digits.unsigned_abs(); // a whole number: no division
    }
    match 10u128.checked_pow(d.scale) {
        Some(p) => d.digits.unsigned_abs() / p,
        None => 0,
    }
}

/// `p / q + s / n` with `q` kept the least common multiple of the counts added: for the mean
/// of units' means, exactly.
pub(crate) fn add_fraction(p: i128, q: i128, s: i128, n: i128) -> Option<(i128, i128)> {
    if q % n == 0 {
        return Some((p.checked_add(s.checked_mul(q / n)?)?, q));
    }
    let l = (q / gcd(q, n)).checked_mul(n)?;
    let p = p.checked_mul(l / q)?.checked_add(s.checked_mul(l / n)?)?;
    Some((p, l))
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(digits: i128, scale: u32) -> Decimal {
        Decimal { digits, scale }
    }

    #[test]
    fn ratio_rounds_half_away_from_zero_once() {
        // 1/3 → 0,33; 2/3 → 0,67; −1/2 → −1 with no decimals; 1/8 = 0,125 → 0,13.
        let r = |n, d| Ratio::new(n, d).and_then(|r| r.round(2));
        assert_eq!(r(1, 3), Some(dec(33, 2)));
        assert_eq!(r(2, 3), Some(dec(67, 2)));
        assert_eq!(r(1, 8), Some(dec(13, 2)));
        assert_eq!(r(-1, 8), Some(dec(-13, 2)));
        assert_eq!(r(1, -8), Some(dec(-13, 2)));
        assert_eq!(Ratio::new(-1, 2).and_then(|r| r.round(0)), Some(dec(-1, 0)));
        assert_eq!(Ratio::new(1, 0), None);
        // 158 468 485 / 1000 = 158 468,485 → 158 468,49.
        assert_eq!(r(158_468_485, 1000), Some(dec(15_846_849, 2)));
    }

    #[test]
    fn mantissas_within_nine_decimals_are_those_of_each_decimal() {
        // Whole numbers, decimals, a computed 1/3 (nine decimals kept), noughts, negatives,
        // ratios with both columns, and sets mixing them: the fast way and the book's agree.
        let sets: [(&[f64], &[f64]); 9] = [
            (&[1.0, 20.0, 300.0], &[]),
            (&[0.0, 0.0], &[]),
            (&[7.3, 1.25, 4.0], &[]),
            (&[-0.125, 2_000_000.5], &[]),
            (&[1.0 / 3.0, 2.0], &[]),
            (&[0.1 + 0.2], &[]),
            (&[12.0, 7.0], &[40.0, 35.5]),
            (&[158_468.485, 0.5], &[2.0, 0.25]),
            (&[2_250_000.0, 1e-9, -3.000_000_001], &[]),
        ];
        for (a, b) in sets {
            let fast = nine_decimals(a, b);
            assert!(fast.is_some(), "{a:?} {b:?}");
            assert_eq!(fast, each_decimal(a, b), "{a:?} {b:?}");
        }
        // And 8 000 columns of three, alone and as a ratio: k × 0,37, k / 8, k × 1 234,5
        // (beyond 2,25 million for |k| > 1 822: the book's way) and k / 3, k from −2 000 to
        // 1 999.
        let mut fast = 0;
        for k in -2000..2000 {
            let k = f64::from(k);
            for x in [k * 0.37, k / 8.0, k * 1234.5, k / 3.0] {
                let (a, b) = ([x, x + 1.0, 2.5], [x * 2.0, 0.1]);
                for (a, b) in [(&a[..], &[][..]), (&a[..], &b[..])] {
                    let book = each_decimal(a, b);
                    if let Some(found) = nine_decimals(a, b) {
                        assert_eq!(Some(found), book, "{a:?} {b:?}");
                        fast += 1;
                    }
                    assert_eq!(mantissas(a, b), book, "{a:?} {b:?}");
                }
            }
        }
        // 32 000 columns; the fast way's reach is |x| < 2^51 / 10^9 ≈ 2 251 799,8. Beyond
        // it: k × 1 234,5 alone for |k| ≥ 1 825 (1 824 × 1 234,5 = 2 251 728): 176 + 175
        // of the k; as a ratio (b holds 2x) for |k| ≥ 913: 1 088 + 1 087. 32 000 − 351 −
        // 2 175 = 29 474.
        assert_eq!(fast, 29_474);
        // 1,25 and 4 → scale 2: 125 and 400; 7,3 → 730.
        assert_eq!(
            mantissas(&[7.3, 1.25, 4.0], &[]),
            Some((Scale(2), vec![730, 125, 400], vec![]))
        );
        // Beyond about 2,25 million the book's way is taken; NaN has no exact form.
        assert_eq!(nine_decimals(&[3e6], &[]), None);
        assert_eq!(
            mantissas(&[3e6, 0.5], &[]),
            Some((Scale(1), vec![30_000_000, 5], vec![]))
        );
        assert_eq!(mantissas(&[f64::NAN], &[]), None);
    }

    #[test]
    fn trailing_zeros_count_no_further_than_asked() {
        assert_eq!(trailing_zeros(1_000_000_000, 9), 9);
        assert_eq!(trailing_zeros(1_000_000_000, 4), 4);
        assert_eq!(trailing_zeros(-1_200, 9), 2);
        assert_eq!(trailing_zeros(0, 9), 9);
        assert_eq!(trailing_zeros(7, 9), 0);
        for zeros in 0..=9 {
            assert_eq!(trailing_zeros(3 * 10i64.pow(zeros), 9), zeros);
        }
    }

    #[test]
    fn common_scale_is_the_most_decimals_that_fit() {
        let common = |xs: &[f64]| Scale::common(xs.iter().filter_map(|&x| Decimal::from_f64(x)));
        assert_eq!(common(&[7.3, 1.25, 4.0]), Some(Scale(2)));
        // A computed 1/3 keeps nine decimals.
        assert_eq!(common(&[1.0 / 3.0]), Some(Scale(9)));
        // 10^12 with nine decimals would be 10^21 > 2^62 ≈ 4,6 × 10^18: six decimals.
        assert_eq!(common(&[1e12, 1.0 / 3.0]), Some(Scale(6)));
        assert_eq!(common(&[1e30]), None);
        assert_eq!(Scale(2).mantissa(dec(158_468_485, 3)), 15_846_849);
        assert_eq!(Scale(3).mantissa(dec(-73, 1)), -7300);
    }

    #[test]
    fn fractions_add_over_the_least_common_multiple() {
        // 1/2 + 1/3 = 5/6; 5/6 + 1/6 = 6/6.
        assert_eq!(add_fraction(1, 2, 1, 3), Some((5, 6)));
        assert_eq!(add_fraction(5, 6, 1, 6), Some((6, 6)));
        assert_eq!(add_fraction(0, 1, 7, 1), Some((7, 1)));
    }
}
