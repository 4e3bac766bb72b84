//! The demo's randomness: SplitMix64 used as a keyed hash. Every draw is a pure function of
//! a fixed seed and the keys that name it (indicator, unit, month, purpose), so a figure does
//! not depend on the order of generation, and the same calendar month gets the same value
//! whatever `through` month the demo is generated up to.

/// The fixed seed: the demo municipality is the same on every machine.
const SEED: u64 = 0x4D41_4C4B_4152_5400; // "MALKART\0"

/// What a draw is for, so that draws for different purposes on the same keys differ.
#[derive(Clone, Copy)]
pub(crate) enum Purpose {
    Employees = 1,
    Offset = 2,
    Noise = 3,
    Drift = 4,
    Late = 5,
    Hole = 6,
    Denominator = 7,
    OwnTarget = 8,
    Comment = 9,
    Name = 10,
    Timestamp = 11,
    SickLeave = 12,
    SickSplit = 13,
    LongAbsence = 14,
    Budget = 15,
    Actual = 16,
    Forecast = 17,
    Survey = 18,
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A 64-bit hash of the purpose and the keys.
pub(crate) fn hash(purpose: Purpose, keys: &[u64]) -> u64 {
    keys.iter()
        .fold(splitmix(SEED ^ purpose as u64), |h, &k| splitmix(h ^ k))
}

/// Uniform in [0, 1).
pub(crate) fn uniform(purpose: Purpose, keys: &[u64]) -> f64 {
    to_unit(hash(purpose, keys))
}

/// Standard normal (Box–Muller on two uniforms derived from the hash).
pub(crate) fn normal(purpose: Purpose, keys: &[u64]) -> f64 {
    let h = hash(purpose, keys);
    let u1 = to_unit(splitmix(h)).max(1e-12);
    let u2 = to_unit(splitmix(h ^ 0x5555_5555_5555_5555));
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// An integer in `low..=high`.
pub(crate) fn between(purpose: Purpose, keys: &[u64], low: u32, high: u32) -> u32 {
    low + (hash(purpose, keys) % u64::from(high - low + 1)) as u32
}

fn to_unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_keys_same_draw_and_purposes_differ() {
        assert_eq!(
            hash(Purpose::Noise, &[1, 2, 3]),
            hash(Purpose::Noise, &[1, 2, 3])
        );
        assert_ne!(
            hash(Purpose::Noise, &[1, 2, 3]),
            hash(Purpose::Offset, &[1, 2, 3])
        );
        assert_ne!(
            hash(Purpose::Noise, &[1, 2, 3]),
            hash(Purpose::Noise, &[1, 3, 2])
        );
    }

    #[test]
    fn uniform_and_normal_have_the_expected_shape() {
        let n = 20_000u64;
        let us: Vec<f64> = (0..n).map(|i| uniform(Purpose::Noise, &[i])).collect();
        assert!(us.iter().all(|u| (0.0..1.0).contains(u)));
        let mean_u = us.iter().sum::<f64>() / n as f64;
        assert!((mean_u - 0.5).abs() < 0.02, "mean of uniforms {mean_u}");
        let zs: Vec<f64> = (0..n).map(|i| normal(Purpose::Noise, &[i])).collect();
        let mean = zs.iter().sum::<f64>() / n as f64;
        let var = zs.iter().map(|z| (z - mean) * (z - mean)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.05, "mean {mean}");
        assert!((var - 1.0).abs() < 0.08, "variance {var}");
        assert!((0..n).all(|i| (3..=7).contains(&between(Purpose::Employees, &[i], 3, 7))));
    }
}
