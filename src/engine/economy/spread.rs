//! Spreading a yearly budget over the twelve months in whole øre (economy.md): each month
//! its share truncated toward zero, December the rest, so the months sum exactly.

/// A yearly amount (øre) spread evenly over the twelve months: each month the amount / 12
/// truncated toward zero, December the rest, so the months sum exactly to the amount.
pub fn spread_even(amount: i64) -> [i64; 12] {
    // Integer division truncates toward zero, also for negative amounts (net income).
    let month = amount / 12;
    let mut months = [month; 12];
    months[11] = amount - 11 * month;
    months
}

/// A yearly amount spread by a profile (e.g. last year's accounts per month): each month
/// its share truncated toward zero, December the rest. A profile summing to 0 spreads evenly.
///
/// The share of month k is `amount × profile[k] / Σ profile`, computed in `i128` so that
/// no product overflows; a profile with negative months (a refund) is used as it is.
pub fn spread_by_profile(amount: i64, profile: &[i64; 12]) -> [i64; 12] {
    let total: i128 = profile.iter().map(|&p| i128::from(p)).sum();
    if total == 0 {
        return spread_even(amount);
    }
    let mut months = [0i64; 12];
    let mut given: i128 = 0;
    for k in 0..11 {
        let share = i128::from(amount) * i128::from(profile[k]) / total;
        // |share| ≤ |amount| × |profile[k]| / |total| may exceed i64 for a profile that
        // swings both ways; clamp rather than wrap (December still takes the exact rest).
        let share = share.clamp(i128::from(i64::MIN / 24), i128::from(i64::MAX / 24));
        months[k] = share as i64;
        given += share;
    }
    let rest = i128::from(amount) - given;
    months[11] = rest.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
    months
}
