//! What the claims and the validation suite share: the key parameters of the sensitivity sweeps
//! and how one is moved.

use understory::model::Params;

/// The key parameters moved by ±30% one at a time (to the end of its range where 30% would go
/// past it).
pub const SENSITIVE: [&str; 17] = [
    "productivity",
    "share_rate",
    "signal_noise",
    "hop_delay",
    "span_of_detail",
    "picture_blur",
    "directive_load",
    "work_load",
    "adoption_rate",
    "trust_rate",
    "negativity_bias",
    "runway",
    "delivery",
    "reach",
    "spending",
    "work_ceiling",
    "onboarding",
];

/// `params` with `field` moved by `factor`, held to its range.
pub fn moved(params: &Params, field: &str, factor: f64) -> Params {
    let mut p = params.clone();
    let old = p.get(field).expect("a parameter");
    let ranges = p.ranges();
    let &(_, _, lo, hi) = ranges.iter().find(|r| r.0 == field).expect("a parameter");
    let wanted = (old * factor).clamp(lo, hi);
    assert!(p.set(field, wanted));
    // A whole-tick parameter moves by at least one tick, within its range (a parameter already
    // at the end of its range stays there).
    if p.get(field) == Some(old) && wanted != old {
        p.set(field, (old + if factor > 1.0 { 1.0 } else { -1.0 }).clamp(lo, hi));
    }
    p
}
