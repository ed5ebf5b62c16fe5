//! One tick of the forest, mechanism family by mechanism family, each serving a law of
//! DESIGN.md. This file holds the order of a tick; each mechanism is in its own file:
//!
//! - `shocks.rs`: the weather (droughts, storms, light shifts, pests);
//! - `hierarchy.rs`: leadership's picture, the decisions it issues, and their arrival;
//! - `practice.rs`: how a practice a decision asks for takes hold, and how a tree judges it;
//! - `structure.rs`: links and reporting lines changed, teams cut;
//! - `attention.rs`: attention and stress;
//! - `energy.rs`: light, production, upkeep, growth and spoilage;
//! - `network.rs`: signals and sharing along links;
//! - `lean.rs`: adapting to where the light is;
//! - `soil.rs`: recycling of litter;
//! - `trust.rs`: the one rule by which every decision a tree experiences moves its trust.
//!
//! Every function here is `#[inline(always)]` so that it is compiled into each CPU variant of
//! a tick (`cpu.rs`).
//!
//! A loop over trees handles four or eight trees per instruction (in the AVX2 and AVX-512
//! variants) only when the compiler can prove two things: that no index is out of bounds (every
//! slice is cut to the same length first) and that no output overlaps another array. The second
//! needs each output to be its own `&mut` argument of a function (a "kernel", as in
//! `attention.rs`): slices taken from fields of one struct inside one function carry no such
//! promise. Loops that sum into one total stay one tree at a time in every variant.

mod attention;
mod energy;
mod hierarchy;
mod lean;
mod network;
mod practice;
mod shocks;
mod soil;
mod structure;
mod trust;

use super::delays::{Report, ReportLines};
use super::forest::Forest;
use super::metrics::Ledger;

pub use hierarchy::shortened;

pub(crate) const EPS: f64 = 1e-9;

/// One tick, in this order: the light moves; the weather strikes; leadership issues the
/// decisions due and those due arrive; practices take hold; light where each tree reaches;
/// attention and stress; production; upkeep; signals; sharing; leaning; growth and spoilage;
/// pests; recycling; trust; metrics and the ledger.
#[inline(always)]
pub(crate) fn body(f: &mut Forest) {
    let mut ledger = Ledger { stocks_before: f.stocks(), ..Default::default() };
    let n = f.team_count();
    let s = &mut f.scratch;
    reset(&mut s.experience_pull, n, 0.0);
    reset(&mut s.touched, n, false);
    f.trees.litterfall.iter_mut().for_each(|v| *v = 0.0);
    f.trees.mandated.iter_mut().for_each(|v| *v = 0.0);

    f.light.advance(&mut f.light_rng);
    shocks::weather(f);
    hierarchy::issue(f);
    hierarchy::deliver(f, &mut ledger);
    practice::take_hold(f);
    energy::measure_light(f);
    attention::attend(f);
    energy::produce(f, &mut ledger);
    energy::maintain(f, &mut ledger);
    network::signal(f);
    network::share(f, &mut ledger);
    if f.params.mobility > 0.0 {
        structure::drift(f);
    }
    lean::adapt(f);
    energy::grow_and_spoil(f);
    // Pests before recycling, so that the soil counts what they bring down with the rest.
    shocks::spread_pests(f);
    soil::recycle(f, &mut ledger);
    trust::update(f);

    f.metrics = f.measure(&mut ledger);
    f.ledger = ledger;
    f.tick += 1;
    let tick = f.tick;
    let before = f.active.len();
    f.active.retain(|a| !a.intervention.kind.is_instant() && a.in_force(tick));
    if f.active.len() < before {
        hierarchy::forget_ended_decisions(f);
    }
}

/// Gives a new forest what it would have seen, said and done before the run: the light where
/// each tree stands, its usefulness, a history of signals and reports that says the same, and
/// the work under way that it delivers in the first ticks.
pub(crate) fn prime(f: &mut Forest) {
    energy::measure_light(f);
    let n = f.team_count();
    let p = &f.params;
    let t = &mut f.trees;
    for i in 0..n {
        let factor = energy::conditions_factor(p, t.nutrients[i], t.size[i], t.litter[i], t.biomass[i], 0.0);
        t.yield_[i] = t.light[i] * factor;
        t.planned_effort[i] = p.effort * t.biomass[i];
        t.usefulness[i] = network::usefulness(p, t.yield_[i], t.energy[i], t.biomass[i], t.planned_effort[i]);
        t.signal[i] = t.usefulness[i];
        // What it has heard before the run says the same of the typical place as of its own, so
        // a transfer in the first tick is judged a coin toss, not against nothing.
        t.heard_typical[i] = t.signal[i];
    }
    // Work already under way: what each tree's planned effort in its light delivers, one tick's
    // worth in each of the `delivery` slots. Left empty, every run would start with `delivery`
    // ticks of no value and pay for work that returns nothing yet: a dip and recovery that is
    // the start, not the model.
    let n_slots = f.pipeline.len() / n.max(1);
    for slot in 0..n_slots {
        for i in 0..n {
            f.pipeline[slot * n + i] = t.planned_effort[i] * t.yield_[i];
        }
    }
    let h = &mut f.history;
    for slot in 0..h.len {
        for i in 0..n {
            let at = f.scratch.looking_at[i] as f32;
            h.sent[slot * n + i] = super::delays::Sent { signal: t.signal[i] as f32, light: t.light[i] as f32, at };
        }
    }
    let per_person = |i: usize| t.planned_effort[i] * t.yield_[i] / (t.size[i] + EPS);
    let said = &mut f.per_person_said;
    for slot in 0..said.len {
        for i in 0..said.n {
            said.sent[slot * said.n + i] = per_person(i) as f32;
        }
    }
    let spare = |i: usize| (t.energy[i] - f.params.reserve * t.biomass[i]).max(0.0);
    let reports: Vec<Report> = (0..n).map(|i| Report::new(t.yield_[i], spare(i), per_person(i))).collect();
    let light = (f.params.point_by_light > 0).then_some(&t.light[..n]);
    f.reports = ReportLines::new(&t.depth, f.params.hop_delay, &reports, light);
}

/// Clears a reusable buffer and fills it with `n` copies of `value`.
fn reset<T: Clone>(buffer: &mut Vec<T>, n: usize, value: T) {
    buffer.clear();
    buffer.resize(n, value);
}

/// Makes a reusable buffer `n` long without clearing it: for buffers a loop overwrites whole.
fn sized<T: Clone + Default>(buffer: &mut Vec<T>, n: usize) {
    buffer.resize(n, T::default());
}

/// `x.max(y)` for values that are never NaN, as one SSE2 `maxsd` (`x > y ? x : y`) where
/// `f64::max` needs five instructions to handle NaN and a plain comparison may become a branch
/// the CPU cannot predict. Used in the per-link loops, which dominate a tick.
#[inline(always)]
fn max_of(x: f64, y: f64) -> f64 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_cvtsd_f64, _mm_max_sd, _mm_set_sd};
        // SAFETY: SSE2 is part of every x86_64 target; these only move and compare registers.
        unsafe { _mm_cvtsd_f64(_mm_max_sd(_mm_set_sd(x), _mm_set_sd(y))) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        if x > y { x } else { y }
    }
}

/// `x.min(y)` for values that are never NaN (`x < y ? x : y`; see [`max_of`]).
#[inline(always)]
fn min_of(x: f64, y: f64) -> f64 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_cvtsd_f64, _mm_min_sd, _mm_set_sd};
        // SAFETY: as in `max_of`.
        unsafe { _mm_cvtsd_f64(_mm_min_sd(_mm_set_sd(x), _mm_set_sd(y))) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        if x < y { x } else { y }
    }
}

/// `x` clamped to 0..1 (never NaN in; branch-free).
#[inline(always)]
fn unit(x: f64) -> f64 {
    min_of(max_of(x, 0.0), 1.0)
}

/// A team of six people with six units of wood at `x`, for the unit tests of the tick.
#[cfg(test)]
fn test_team(name: &str, x: f64, parent: u32) -> crate::model::TeamInit {
    crate::model::TeamInit { name: name.into(), x, size: 6.0, parent, biomass: 6.0, energy: None }
}

/// A lead at 0.5 and a team at 0.3 under it, in flat light; with `linked`, a second team at
/// 0.35 joined to the first by a one-tick link. For the unit tests of the tick.
#[cfg(test)]
fn test_forest(params: crate::model::Params, linked: bool) -> Forest {
    use crate::model::{LightConfig, LinkInit, NONE};
    let light = LightConfig { patches: 0, ..Default::default() };
    let mut teams = vec![test_team("lead", 0.5, NONE), test_team("a", 0.3, 0)];
    let mut links = Vec::new();
    if linked {
        teams.push(test_team("b", 0.35, 0));
        links.push(LinkInit { a: 1, b: 2, delay: 1, capacity: 1.0 });
    }
    Forest::new(teams, links, params, light, 1).expect("valid forest")
}
