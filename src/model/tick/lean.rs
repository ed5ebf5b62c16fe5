//! Adapting to the light: a tree moves its work on toward where it believes more light is, from
//! what its neighbours told it and what it sees itself, until it believes the light rises no
//! further within its reach; toward where alignment orders say the light is,
//! as strongly as it holds alignment; and toward the work a target measures, as strongly as the
//! target presses. Changing where one works takes attention: a tree adapts at `lean_rate` with
//! the reference room to breathe, faster with more, not at all with no attention free.

use super::{EPS, attention};
use crate::model::Practice;
use crate::model::forest::Forest;
use crate::model::light::short_way;

/// The lean (−1 to 1, a full reach either way) that points a tree at `x` toward work at `goal`,
/// the short way round the forest's width (which wraps, as the light does).
#[inline(always)]
pub(super) fn lean_toward(goal: f64, x: f64, reach: f64) -> f64 {
    (short_way(x, goal) / (reach + EPS)).clamp(-1.0, 1.0)
}

#[inline(always)]
pub(super) fn adapt(f: &mut Forest) {
    let n = f.team_count();
    let p = &f.params;
    let t = &mut f.trees;
    let align = &t.practices.level[Practice::Align.index()][..n];
    let target = &t.practices.level[Practice::Target.index()][..n];
    for i in 0..n {
        if !t.alive[i] {
            continue;
        }
        // Its own view moves its work on from where it is now by the rise in light it believes
        // in: it settles where it sees the light rise no further (at the brightest place within
        // its reach), not where the rise equals its lean, which would stop it short of the light.
        let own = (t.lean[i] + t.light_gradient[i].clamp(-1.0, 1.0)).clamp(-1.0, 1.0);
        let ordered = if t.align_goal[i].is_nan() { 0.0 } else { lean_toward(t.align_goal[i], t.x[i], p.reach) };
        let wa = if t.align_goal[i].is_nan() { 0.0 } else { align[i] };
        let wt = target[i];
        let asked = wa + wt;
        let goal = if asked > 1.0 {
            (wa * ordered + wt * t.target_lean[i]) / asked
        } else {
            (1.0 - asked) * own + wa * ordered + wt * t.target_lean[i]
        };
        // At most the whole way to its goal in a tick: with room to spare a tree leans up to twice
        // `lean_rate`, and past 1 a step would overshoot its goal and swing about it on no news.
        let rate = (p.lean_rate * attention::room(p, t.attention_load[i], t.attention_capacity[i])).min(1.0);
        t.lean[i] += rate * (goal - t.lean[i]);
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Params;
    use crate::model::tick::test_forest;

    #[test]
    fn a_fast_lean_goes_at_most_the_whole_way_to_its_goal_in_a_tick() {
        let mut f = test_forest(Params { lean_rate: 1.0, ..Default::default() }, false);
        // A tree with all its attention free leans at twice `lean_rate`; told its goal is a full
        // lean, it reaches it and stays, rather than stepping past it and back.
        f.trees.attention_load[1] = 0.0;
        f.trees.light_gradient[1] = 1.0;
        f.trees.lean[1] = 0.0;
        super::adapt(&mut f);
        assert!((f.trees.lean[1] - 1.0).abs() < 1e-12, "{}", f.trees.lean[1]);
        // Seeing the light fall half a reach on, its goal is half a lean back: it goes there,
        // not twice as far (to 0).
        f.trees.light_gradient[1] = -0.5;
        super::adapt(&mut f);
        assert!((f.trees.lean[1] - 0.5).abs() < 1e-12, "{}", f.trees.lean[1]);
    }
}
