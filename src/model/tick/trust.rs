//! "Trust grows from coherence": one rule for every decision a tree experiences, whatever its
//! source (an order, a peer's sharing, a reorganization, a cut, a condition that changes how it
//! works).
//!
//! A tree judges a decision by how well it agrees with what it sees itself (`agreement`, 0 to
//! 1: would it have decided the same?). Knowing the values it was decided by (`clarity`), a tree
//! anticipates exactly the decisions that agree with its own view; not knowing them, it
//! anticipates a decision only by chance. So a decision's predictability is
//!
//! `clarity × agreement + (1 − clarity) × GUESS`
//!
//! and trust moves toward the predictability of what it experiences, at `trust_rate` per tick
//! per unit of the decision's weight. Clear values make coherent decisions predictable and
//! incoherent ones visibly so. A decision less predictable than trust expected counts
//! `1 + negativity_bias` times (losses loom larger), for every source alike. Nothing here knows
//! who decided.

use super::{EPS, unit};
use crate::model::forest::Forest;
use crate::model::params::Params;

/// How often a tree that cannot reason from the values anticipates a decision: chance.
const GUESS: f64 = 0.5;

/// The pull of one decision on trust: how far its predictability lies from the trust the tree
/// had, weighted by the negativity bias when it falls short.
#[inline(always)]
pub(super) fn pull(clarity: f64, trust: f64, negativity_bias: f64, agreement: f64) -> f64 {
    let predictable = clarity * agreement + (1.0 - clarity) * GUESS;
    let gap = predictable - trust;
    if gap < 0.0 { gap * (1.0 + negativity_bias) } else { gap }
}

/// Tree `i` experienced a decision of this weight that agreed this well with its own view.
pub(super) fn experience(f: &mut Forest, i: usize, weight: f64, agreement: f64) {
    let t = &f.trees;
    let pull = pull(t.clarity[i], t.trust[i], f.params.negativity_bias, agreement);
    f.scratch.experience_pull[i] += weight * pull;
}

/// Agreement with a transfer of energy, whoever decided it: one coming in agrees with a tree
/// that sees itself as more useful than the other side (`elsewhere`), one going out with a
/// tree that sees itself as less useful. Equal usefulness is a coin toss.
#[inline(always)]
pub(super) fn agrees(own: f64, elsewhere: f64, inward: bool) -> f64 {
    let (more, equal) = ((own > elsewhere) as u8 as f64, (own == elsewhere) as u8 as f64);
    let inward_agreement = more + 0.5 * equal;
    if inward { inward_agreement } else { 1.0 - inward_agreement }
}

/// Agreement with a change whose worth cannot be seen before it acts (a new link, before it has
/// carried anything): chance.
pub(super) const UNSEEN: f64 = GUESS;

/// Agreement with losing a link: a tree that saw little of what flowed through it go along the
/// link (`carried` against `through`, all it gave and took) would have cut it too.
#[inline(always)]
pub(super) fn agrees_with_losing_a_link(carried: f64, through: f64) -> f64 {
    1.0 - unit(2.0 * carried / (through + EPS))
}

/// Agreement with a new manager: as far as the new one has more of its attention to spare than
/// the old one (`load_old`, `load_new`: attention load against capacity).
#[inline(always)]
pub(super) fn agrees_with_a_new_manager(load_old: f64, load_new: f64) -> f64 {
    unit(0.5 + 0.5 * (load_old - load_new))
}

/// Weight of a transfer: up to 1, reached when it moves `materiality` of the tree's biomass.
#[inline(always)]
pub(super) fn materiality(p: &Params, amount: f64, biomass: f64) -> f64 {
    unit(amount / (p.materiality * biomass + EPS))
}

/// Trust moves by `trust_rate` times the pull of this tick's experiences.
#[inline(always)]
pub(super) fn update(f: &mut Forest) {
    let n = f.team_count();
    let rate = f.params.trust_rate;
    let alive = &f.trees.alive[..n];
    let pull = &f.scratch.experience_pull[..n];
    let trust = &mut f.trees.trust[..n];
    for i in 0..n {
        if alive[i] {
            trust[i] = unit(trust[i] + rate * pull[i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where trust settles under decisions of one agreement: where their pull is zero.
    fn settles_at(clarity: f64, agreement: f64) -> f64 {
        let mut trust = 0.5;
        for _ in 0..10_000 {
            trust = unit(trust + 0.05 * pull(clarity, trust, 1.0, agreement));
        }
        trust
    }

    #[test]
    fn with_clear_values_coherent_decisions_build_trust_and_incoherent_ones_spend_it() {
        assert!(pull(1.0, 0.5, 1.0, 1.0) > 0.0, "a decision the tree would have taken builds trust");
        assert!(pull(1.0, 0.5, 1.0, 0.0) < 0.0, "one it would not have taken spends it");
        assert!((settles_at(1.0, 1.0) - 1.0).abs() < 1e-6);
        assert!(settles_at(1.0, 0.0).abs() < 1e-6);
    }

    #[test]
    fn without_clear_values_every_decision_is_a_coin_toss() {
        for agreement in [0.0, 0.5, 1.0] {
            assert!((settles_at(0.0, agreement) - GUESS).abs() < 1e-6, "agreement {agreement}");
        }
    }

    #[test]
    fn trust_stays_within_the_band_clarity_allows() {
        for clarity in [0.0, 0.3, 0.51, 1.0] {
            let (low, high) = (GUESS * (1.0 - clarity), clarity + GUESS * (1.0 - clarity));
            for agreement in [0.0, 0.25, 0.75, 1.0] {
                let t = settles_at(clarity, agreement);
                assert!(t >= low - 1e-6 && t <= high + 1e-6, "clarity {clarity}, agreement {agreement}: {t}");
            }
        }
    }

    #[test]
    fn a_loss_weighs_one_plus_the_negativity_bias_times_a_gain_of_the_same_size() {
        let (gain, loss) = (pull(1.0, 0.5, 1.0, 0.7), pull(1.0, 0.5, 1.0, 0.3));
        assert!((gain - 0.2).abs() < 1e-12 && (loss + 0.4).abs() < 1e-12, "{gain} {loss}");
        assert!((pull(1.0, 0.5, 0.0, 0.3) + 0.2).abs() < 1e-12, "no bias: a loss weighs as a gain");
    }
}
