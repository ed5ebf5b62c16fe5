//! Practices: the standing ways of working a decision can ask of a tree (more effort, slack, a
//! target, alignment, open feedback, tending the soil, working on values, looking at the light).
//!
//! None acts everywhere at once. A decision reaches each tree down the hierarchy; from then the
//! tree's level of the practice moves toward what was asked at `adoption_rate` per tick, and
//! after the decision ends there, back toward zero at the same rate. That is the same for every
//! practice, whoever asked for it. Each practice's cost is in `attention.rs` (attention),
//! `energy.rs` (energy, output) and here (clarity's cost is the gap still to close).

use super::{EPS, unit};
use crate::model::Practice;
use crate::model::forest::{Forest, Trees};

/// The latest decision of a practice to reach tree `i` asks for `level` until tick `until`.
pub(super) fn order(t: &mut Trees, i: usize, practice: Practice, level: f64, until: u64) {
    let k = practice.index();
    t.practices.ordered[k][i] = level;
    t.practices.until[k][i] = until;
    t.practices.held[k] = true;
}

/// Every practice level moves toward what is asked of it; clarity follows the work on values.
#[inline(always)]
pub(super) fn take_hold(f: &mut Forest) {
    let n = f.team_count();
    let tick = f.tick;
    let rate = f.params.adoption_rate;
    let pr = &mut f.trees.practices;
    for k in 0..Practice::COUNT {
        // A practice nobody holds or was asked for stays at zero: nothing to move.
        if !pr.held[k] {
            continue;
        }
        let (level, ordered, until) = (&mut pr.level[k][..n], &pr.ordered[k][..n], &pr.until[k][..n]);
        let mut still = false;
        for i in 0..n {
            let goal = if tick < until[i] { ordered[i] } else { 0.0 };
            let l = level[i] + rate * (goal - level[i]);
            // A level too small to matter is none: so a practice let go ends.
            let l = if l < 1e-6 && goal == 0.0 { 0.0 } else { l };
            level[i] = l;
            still |= l > 0.0 || goal > 0.0;
        }
        pr.held[k] = still;
    }
    // Values become clear only as fast as people work on them, and fade back when they stop.
    let (base, clarity_rate) = (f.params.values_clarity, f.params.clarity_rate);
    if pr.held[Practice::Clarify.index()] || f.trees.clarity.iter().any(|&c| c != base) {
        let working = &pr.level[Practice::Clarify.index()][..n];
        let clarity = &mut f.trees.clarity[..n];
        for i in 0..n {
            let goal = base + working[i] * (1.0 - base);
            let c = clarity[i] + clarity_rate * (goal - clarity[i]);
            clarity[i] = if (c - base).abs() < 1e-9 && working[i] == 0.0 { base } else { c };
        }
    }
}

/// Clarity still to be gained at tree `i`: what working on values costs attention for.
#[inline(always)]
pub(super) fn clarity_gap(base: f64, working: f64, clarity: f64) -> f64 {
    (base + working * (1.0 - base) - clarity).max(0.0)
}

/// How well a decision asking tree `i` for `level` of a practice agrees with what the tree
/// itself sees, 0 to 1. One that asks for more of it than is asked now is judged by whether the
/// tree would have chosen the practice itself; one that asks for less, or for none (calling it
/// off), by the mirror: whether the tree would have chosen to let it go.
pub(super) fn judge_change(f: &Forest, i: usize, practice: Practice, level: f64) -> f64 {
    let m = judge(f, i, practice);
    if level < asked_now(&f.trees, i, practice, f.tick) || level == 0.0 { 1.0 - m } else { m }
}

/// The level of a practice that the latest decision to reach tree `i` asks of it at `tick` (0
/// once that decision has ended there).
pub(super) fn asked_now(t: &Trees, i: usize, practice: Practice, tick: u64) -> f64 {
    let k = practice.index();
    if tick < t.practices.until[k][i] { t.practices.ordered[k][i] } else { 0.0 }
}

/// How well a practice asked of tree `i` agrees with what the tree itself sees, 0 to 1: would
/// it have chosen this itself? Each practice is judged by the symptom it addresses, whoever
/// asked for it; more and less effort are judged by one rule, mirrored, and a lean asked of it
/// (alignment, and the work a target measures) by one rule for a direction.
fn judge(f: &Forest, i: usize, practice: Practice) -> f64 {
    let t = &f.trees;
    let p = &f.params;
    match practice {
        Practice::Push => more_effort_pays(f, i),
        // A target asks for two things alike: more effort, and work on what it measures.
        Practice::Target => {
            0.5 * (more_effort_pays(f, i) + direction_agrees(t.target_lean[i], t.lean[i], t.light_gradient[i]))
        }
        Practice::Slack => 1.0 - more_effort_pays(f, i),
        Practice::Align => {
            let goal = t.align_goal[i];
            if goal.is_nan() {
                0.5
            } else {
                direction_agrees(super::lean::lean_toward(goal, t.x[i], p.reach), t.lean[i], t.light_gradient[i])
            }
        }
        Practice::Open => {
            // Is what I hear out of date? How much the light where I stand changed over the
            // age of the information behind my allocations (as far back as the signal history
            // reaches); fully, where it changed by a quarter. Information of no age is not.
            // Decisions arrive before this tick's light is measured, so the light a tree holds
            // is last tick's, the one its latest signal sent: `age` ticks before that is one
            // more slot back.
            let age = t.decision_age[i].round() as u32;
            if age == 0 {
                0.0
            } else {
                let h = &f.history;
                let then = h.sent[h.slot_ago(f.tick, age + 1) + i].light as f64;
                unit(4.0 * (t.light[i] - then).abs() / (t.light[i] + EPS))
            }
        }
        Practice::Soil => {
            // How much the soil and the litter at my foot hold my work back.
            let soil = t.nutrients[i] / (t.nutrients[i] + p.nutrient_half * t.size[i] + EPS);
            let litter = 1.0 / (1.0 + t.litter[i] / (p.smother * t.size[i]));
            1.0 - soil * litter
        }
        Practice::Clarify => 1.0 - t.clarity[i],
        // Does what I hear say the light changes around me? Then looking for myself pays.
        // Judged on what it hears alone: what it sees while it looks carries `sense_noise`,
        // which the absolute value would turn into a rise that is not there.
        Practice::Sense => unit(t.heard_gradient[i].abs()),
    }
}

/// Agreement with a lean asked of a tree (−1 to 1, a full reach either way) that leans `lean`
/// now: as far as the move it asks for points where the tree believes more light is. The
/// tree's belief is the rise in light from where it works now, so the lean asked is judged by
/// the way it moves the tree from there, not by which side of the tree's own place it lies.
/// (The belief was formed last tick, from where the tree worked before its last step of
/// leaning; a lean moves a tenth of the way at most at the defaults, so the two barely differ.)
fn direction_agrees(asked: f64, lean: f64, gradient: f64) -> f64 {
    0.5 + 0.5 * (asked - lean).clamp(-1.0, 1.0) * gradient.clamp(-1.0, 1.0)
}

/// Would more effort pay here: is there attention free for it (up to the reference room),
/// and does effort return more than it costs?
fn more_effort_pays(f: &Forest, i: usize) -> f64 {
    let t = &f.trees;
    let utilization = t.attention_load[i] / (t.attention_capacity[i] + EPS);
    let free = unit((1.0 - utilization) / f.params.room);
    free * unit(t.yield_[i] - 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Params;
    use crate::model::tick::test_forest;

    /// A lead and one team in flat light.
    fn pair() -> Forest {
        test_forest(Params::default(), false)
    }

    #[test]
    fn a_lean_asked_agrees_as_far_as_it_points_where_the_tree_sees_more_light() {
        let mut f = pair();
        f.trees.light_gradient[1] = 0.8;
        f.trees.align_goal[1] = f.trees.x[1] + 2.0 * f.params.reach;
        let toward = judge(&f, 1, Practice::Align);
        f.trees.align_goal[1] = f.trees.x[1] - 2.0 * f.params.reach;
        let away = judge(&f, 1, Practice::Align);
        assert!((toward - 0.9).abs() < 1e-9 && (away - 0.1).abs() < 1e-9, "{toward} {away}");
        // A target's lean toward the work it measures is judged by the same rule, beside its effort.
        f.trees.target_lean[1] = 1.0;
        let measured_toward = judge(&f, 1, Practice::Target);
        f.trees.target_lean[1] = -1.0;
        let measured_away = judge(&f, 1, Practice::Target);
        let effort = more_effort_pays(&f, 1);
        assert!((measured_toward - 0.5 * (effort + 0.9)).abs() < 1e-9, "{measured_toward}");
        assert!((measured_away - 0.5 * (effort + 0.1)).abs() < 1e-9, "{measured_away}");
    }

    #[test]
    fn a_lean_asked_is_judged_by_the_way_it_moves_the_tree_from_where_it_works() {
        let mut f = pair();
        // Leaning a full reach to the right and seeing the light rise further right, a tree told
        // to lean half a reach right is told to move back left: away from the light it sees.
        f.trees.lean[1] = 1.0;
        f.trees.light_gradient[1] = 0.8;
        f.trees.align_goal[1] = f.trees.x[1] + 0.5 * f.params.reach;
        let back = judge(&f, 1, Practice::Align);
        assert!((back - (0.5 - 0.5 * 0.5 * 0.8)).abs() < 1e-6, "{back}");
        // Told to stay where it works, it is asked for no move at all: a coin toss.
        f.trees.align_goal[1] = f.trees.x[1] + f.params.reach;
        let stay = judge(&f, 1, Practice::Align);
        assert!((stay - 0.5).abs() < 1e-6, "{stay}");
    }

    #[test]
    fn open_feedback_is_judged_on_how_far_the_light_moved_over_the_age_of_the_information() {
        let mut f = pair();
        f.history = crate::model::delays::LinkHistory::new(8, 2);
        f.tick = 20;
        f.trees.light[1] = 1.0;
        // Decisions arrive before this tick's light is measured: the light a tree holds is the
        // one its last signal sent (tick 19), and information one tick old dates from tick 18.
        let h = &mut f.history;
        let (last, before) = (h.slot_ago(20, 1), h.slot_ago(20, 2));
        h.sent[last + 1].light = 1.0;
        h.sent[before + 1].light = 0.9;
        f.trees.decision_age[1] = 1.0;
        let judged = judge(&f, 1, Practice::Open);
        assert!((judged - 0.4).abs() < 1e-6, "a tenth of the light changed in one tick: {judged}");
        f.trees.decision_age[1] = 0.0;
        assert_eq!(judge(&f, 1, Practice::Open), 0.0, "information of no age is not out of date");
    }

    #[test]
    fn calling_a_practice_off_is_judged_as_the_mirror_of_asking_for_it() {
        let mut f = pair();
        f.trees.light_gradient[1] = 0.8;
        f.trees.align_goal[1] = f.trees.x[1] + 2.0 * f.params.reach;
        for practice in [Practice::Push, Practice::Slack, Practice::Target, Practice::Align, Practice::Soil] {
            let asked = judge_change(&f, 1, practice, 0.3);
            order(&mut f.trees, 1, practice, 0.3, 1_000);
            // Asking again for as much is the same decision; asking for less, or none, its mirror.
            assert!((judge_change(&f, 1, practice, 0.3) - asked).abs() < 1e-12, "{practice:?}");
            assert!((judge_change(&f, 1, practice, 0.1) - (1.0 - asked)).abs() < 1e-12, "{practice:?}");
            assert!((judge_change(&f, 1, practice, 0.0) - (1.0 - asked)).abs() < 1e-12, "{practice:?}");
        }
    }
}
