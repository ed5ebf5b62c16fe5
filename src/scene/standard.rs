//! The standard timelines every comparison uses: `hands-off`, `command` and `stewardship`.
//!
//! Each command lever is paired with the condition that serves the same purpose, at the same
//! strength, from the same tick, for the same time: budget (Mandate / OpenFeedback), incentives
//! (Target / ClarifyValues), direction (EnforceAlignment / LetLightIn) and structure
//! (Reorganize / GrowConnections). The pure effort levers (PushHarder / CreateSlack) and the
//! levers on waste (CutWeakest / EnrichSoil) are left out of both, so that the comparison is
//! about the style of steering; docs/MODEL.md reports what each does alone.

use std::collections::BTreeMap;

use super::{Entry, Targets};
use crate::model::InterventionKind;

/// Strength of every standard intervention.
pub const STANDARD_STRENGTH: f64 = 0.3;
/// Tick the standing interventions start at: leadership acts from the start.
pub const STANDARD_START: u64 = 1;
/// Tick the structural ones happen at.
pub const STANDARD_RESTRUCTURE: u64 = 100;

/// The command levers and their condition counterparts, in pairs.
pub const PAIRS: [(InterventionKind, InterventionKind); 4] = [
    (InterventionKind::Mandate, InterventionKind::OpenFeedback),
    (InterventionKind::Target, InterventionKind::ClarifyValues),
    (InterventionKind::EnforceAlignment, InterventionKind::LetLightIn),
    (InterventionKind::Reorganize, InterventionKind::GrowConnections),
];

/// One standard entry: standing kinds from `STANDARD_START` to `ticks`, instant ones at
/// `STANDARD_RESTRUCTURE`.
pub fn standard_entry(kind: InterventionKind, ticks: u64) -> Entry {
    let tick = if kind.is_instant() { STANDARD_RESTRUCTURE } else { STANDARD_START };
    Entry::Intervene {
        tick,
        kind,
        strength: STANDARD_STRENGTH,
        duration: if kind.is_instant() { 0 } else { ticks.saturating_sub(tick).max(1) },
        on: Targets::All,
    }
}

/// `hands-off`, `command` and `stewardship` for a run of `ticks` ticks.
pub fn standard_timelines(ticks: u64) -> BTreeMap<String, Vec<Entry>> {
    let side = |pick: fn(&(InterventionKind, InterventionKind)) -> InterventionKind| -> Vec<Entry> {
        PAIRS.iter().map(|p| standard_entry(pick(p), ticks)).collect()
    };
    BTreeMap::from([
        ("hands-off".to_string(), Vec::new()),
        ("command".to_string(), side(|p| p.0)),
        ("stewardship".to_string(), side(|p| p.1)),
    ])
}
