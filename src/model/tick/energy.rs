//! Energy and matter (laws 1–3): light where each tree reaches, work turning light into value,
//! the upkeep of living wood and of practices that cost energy, and growth and spoilage.

use super::EPS;
use crate::model::Practice;
use crate::model::forest::Forest;
use crate::model::light::Light;
use crate::model::metrics::Ledger;
use crate::model::params::Params;

/// Light where each tree reaches: at its position plus `reach × lean`.
#[inline(always)]
pub(super) fn measure_light(f: &mut Forest) {
    let t = &mut f.trees;
    let n = t.x.len();
    let reach = f.params.reach;
    let (x, lean) = (&t.x[..n], &t.lean[..n]);
    let looking_at = &mut f.scratch.looking_at;
    looking_at.clear();
    looking_at.extend((0..n).map(|i| x[i] + reach * lean[i]));
    f.light.fill(looking_at, &mut t.light[..n]);
    if f.params.crowding > 0.0 {
        share_crowded_light(f);
    }
}

/// Stretches of the forest's width over which light is shared: each `2 × reach` wide, so that
/// a tree shares with those working where it can look.
fn stretches(reach: f64) -> usize {
    ((0.5 / reach.max(1e-3)).floor() as usize).clamp(1, 1024)
}

/// The stretch of the forest's width that place `x` lies in (the width wraps around).
fn stretch_of(x: f64, stretches: usize) -> usize {
    ((x.rem_euclid(1.0) * stretches as f64) as usize).min(stretches - 1)
}

/// Light as a rival good. The people working near a place are those working in its stretch and
/// half of those in each stretch beside it; where they are `k` times as many as if every tree's
/// people were spread evenly over the width, those working there get `1 / (1 + crowding × (k −
/// 1))` of its light (all of it where `k ≤ 1`: an opportunity is not worth more for being
/// worked by few).
fn share_crowded_light(f: &mut Forest) {
    let t = &mut f.trees;
    let n = t.x.len();
    let count = stretches(f.params.reach);
    let s = &mut f.scratch;
    s.crowd_people.clear();
    s.crowd_people.resize(count, 0.0);
    let mut total = 0.0;
    for i in 0..n {
        if t.alive[i] {
            s.crowd_people[stretch_of(s.looking_at[i], count)] += t.size[i];
            total += t.size[i];
        }
    }
    let even = 2.0 * total / count as f64;
    s.crowd_share.clear();
    s.crowd_share.extend((0..count).map(|b| {
        let people = &s.crowd_people;
        let near = people[b] + 0.5 * (people[(b + count - 1) % count] + people[(b + 1) % count]);
        let k = if even > 0.0 { near / even } else { 0.0 };
        1.0 / (1.0 + f.params.crowding * (k - 1.0).max(0.0))
    }));
    for i in 0..n {
        t.light[i] *= s.crowd_share[stretch_of(s.looking_at[i], count)];
    }
}

/// The light those working at `x` get this tick: the light there, shared where it is crowded
/// (`shares` is empty where light is not shared).
pub(crate) fn light_worked_at(light: &Light, shares: &[f64], x: f64) -> f64 {
    let here = light.at(x);
    if shares.is_empty() { here } else { here * shares[stretch_of(x, shares.len())] }
}

/// Return per unit of effort per unit of light: productivity × soil × room to grow × litter ×
/// weather. Soil is `N / (N + nutrient_half × size)`, room `1 / (1 + biomass / (half_saturation
/// × size))`, litter `1 / (1 + litter / (smother × size))`, weather `1 − 0.6 × drought`.
#[inline(always)]
pub(super) fn conditions_factor(p: &Params, nutrients: f64, size: f64, litter: f64, biomass: f64, drought: f64) -> f64 {
    nutrients
        / (nutrients + p.nutrient_half * size + EPS)
        / (1.0 + litter / (p.smother * size))
        / (1.0 + biomass / (p.half_saturation * size + EPS))
        * (1.0 - 0.6 * drought)
        * p.productivity
}

/// Effort turns light into value, delivered `delivery` ticks later. Overloaded trees drop work
/// (it falls as litter). Under a target a tree reports what the measure counts (its work as it
/// is done, in the light the measured place had when the target arrived), as strongly as the
/// target presses; a stressed tree with unclear values that still falls short of the target
/// fills part of the gap by overstating (`gaming`).
#[inline(always)]
pub(super) fn produce(f: &mut Forest, ledger: &mut Ledger) {
    let p = &f.params;
    let t = &mut f.trees;
    let n = t.x.len();
    let drought = &f.scratch.drought[..n];
    let pressure = &t.practices.level[Practice::Target.index()][..n];
    let slot = (f.tick % p.delivery.max(1) as u64) as usize * n;
    let pipeline = &mut f.pipeline[slot..slot + n];
    yield_kernel(
        p,
        YieldInputs {
            alive: &t.alive[..n],
            light: &t.light[..n],
            nutrients: &t.nutrients[..n],
            size: &t.size[..n],
            litter: &t.litter[..n],
            biomass: &t.biomass[..n],
            drought,
        },
        &mut t.yield_[..n],
    );
    for i in 0..n {
        // The work done `delivery` ticks ago delivers its value now.
        let delivered = pipeline[i];
        pipeline[i] = 0.0;
        if !t.alive[i] {
            t.value_real[i] = 0.0;
            t.value_reported[i] = 0.0;
            continue;
        }
        let b = t.biomass[i];
        let y = t.yield_[i];
        let wanted = t.planned_effort[i];
        // A tree short of energy draws on its own wood to keep working (internal: biomass to energy).
        let mobilized = (wanted - t.energy[i]).max(0.0).min(p.mobilization * b);
        t.biomass[i] -= mobilized;
        t.energy[i] += mobilized;
        let effort = wanted.min(t.energy[i].max(0.0));
        let overload = (t.attention_load[i] / (t.attention_capacity[i] + EPS) - 1.0).max(0.0);
        let dropped = effort * overload / (1.0 + overload);
        let done = effort - dropped;
        // What this tick's work will be worth, when it arrives.
        pipeline[i] = done * y;
        let real = delivered;
        let mut reported = real;
        let pi = pressure[i];
        if pi > 0.0 {
            // The measure counts work as it is done, in the light the measured place had when
            // the target arrived: it tracks real value exactly as far as the light stays put.
            let measured = done * y * t.target_light[i] / (t.light[i] + EPS);
            reported = real + pi * (measured - real);
            let gap = (t.target_level[i] - reported).max(0.0);
            reported += gap * pi * p.gaming * (0.2 + 0.8 * t.stress[i]) * (1.0 - t.clarity[i]);
        }
        t.energy[i] += real - effort;
        t.litter[i] += dropped;
        t.litterfall[i] += dropped;
        t.value_real[i] = real;
        t.value_reported[i] = reported;
        ledger.production += real;
        ledger.work += done;
    }
}

/// Read-only inputs of [`yield_kernel`].
struct YieldInputs<'a> {
    alive: &'a [bool],
    light: &'a [f64],
    nutrients: &'a [f64],
    size: &'a [f64],
    litter: &'a [f64],
    biomass: &'a [f64],
    drought: &'a [f64],
}

/// Each tree's return on effort this tick, the light where it reaches times its conditions (0
/// where it is dead): a loop of its own, with no branch and no total, so that the AVX2 and
/// AVX-512 variants divide four or eight trees at once (see "kernels" in `tick/mod.rs`).
#[inline(always)]
fn yield_kernel(p: &Params, inp: YieldInputs, yield_: &mut [f64]) {
    let n = yield_.len();
    let YieldInputs { alive, light, nutrients, size, litter, biomass, drought } = inp;
    let (alive, light, nutrients, size, litter, biomass, drought) =
        (&alive[..n], &light[..n], &nutrients[..n], &size[..n], &litter[..n], &biomass[..n], &drought[..n]);
    for i in 0..n {
        let y = light[i] * conditions_factor(p, nutrients[i], size[i], litter[i], biomass[i], drought[i]);
        yield_[i] = if alive[i] { y } else { 0.0 };
    }
}

/// Law 2: living costs energy. Every unit of wood costs `maintenance`; a tree that cannot pay
/// burns wood and sheds dead wood. Tending the soil costs its people's time (`soil_cost` per
/// person per unit of the practice), and a tree that cannot pay it all tends only as much as it
/// pays for. A steady `turnover` of wood falls as leaves.
#[inline(always)]
pub(super) fn maintain(f: &mut Forest, ledger: &mut Ledger) {
    let p = &f.params;
    let t = &mut f.trees;
    let n = t.x.len();
    let soil = &t.practices.level[Practice::Soil.index()][..n];
    let (alive, size) = (&t.alive[..n], &t.size[..n]);
    let (biomass, energy) = (&mut t.biomass[..n], &mut t.energy[..n]);
    let (litter, litterfall) = (&mut t.litter[..n], &mut t.litterfall[..n]);
    super::sized(&mut f.scratch.tended, n);
    let tended = &mut f.scratch.tended[..n];
    for i in 0..n {
        if !alive[i] {
            tended[i] = 0.0;
            continue;
        }
        // A tree tends its soil only as far as it can pay for it.
        let asked = p.soil_cost * size[i] * soil[i];
        let tending = asked.min(energy[i].max(0.0));
        tended[i] = if asked > 0.0 { soil[i] * tending / asked } else { 0.0 };
        energy[i] -= tending;
        ledger.tending += tending;
        let cost = p.maintenance * biomass[i];
        let from_energy = cost.min(energy[i].max(0.0));
        energy[i] -= from_energy;
        let shortfall = (cost - from_energy).min(biomass[i]);
        biomass[i] -= shortfall;
        ledger.maintenance += from_energy + shortfall;
        let fallen = p.turnover * biomass[i];
        biomass[i] -= fallen;
        litter[i] += fallen;
        litterfall[i] += fallen;
        if shortfall > 0.0 {
            let dead_wood = p.starvation_dieback * biomass[i];
            biomass[i] -= dead_wood;
            litter[i] += dead_wood;
            litterfall[i] += dead_wood;
        }
    }
}

/// Surplus energy and nutrients become wood while more wood would pay for itself; seedlings
/// sprout from nutrients where light falls; energy beyond what a tree can hold spoils,
/// `spoilage_rate` of it a tick (all of it by default).
#[inline(always)]
pub(super) fn grow_and_spoil(f: &mut Forest) {
    let p = &f.params;
    let t = &mut f.trees;
    let n = t.x.len();
    let alive = &t.alive[..n];
    let biomass = &mut t.biomass[..n];
    let energy = &mut t.energy[..n];
    let light = &t.light[..n];
    let litter = &mut t.litter[..n];
    let litterfall = &mut t.litterfall[..n];
    let nutrients_now = &mut t.nutrients[..n];
    let size = &t.size[..n];
    let yield_ = &t.yield_[..n];
    let break_even = 1.0 + p.maintenance / p.effort.max(EPS);
    for i in 0..n {
        if !alive[i] {
            continue;
        }
        let surplus = (energy[i] - p.reserve * biomass[i]).max(0.0);
        let payoff = ((yield_[i] - break_even) / break_even).clamp(0.0, 1.0);
        let mut growth = p.growth_rate * surplus * payoff;
        if p.nutrient_per_growth > 0.0 {
            growth = growth.min(nutrients_now[i].max(0.0) / p.nutrient_per_growth);
        }
        let nutrients = growth * p.nutrient_per_growth;
        energy[i] -= growth;
        nutrients_now[i] -= nutrients;
        biomass[i] += growth + nutrients;
        let soil = nutrients_now[i] / (nutrients_now[i] + p.nutrient_half * size[i] + EPS);
        let sprout = (p.sprouting * light[i] * soil * size[i]).min(nutrients_now[i].max(0.0));
        nutrients_now[i] -= sprout;
        biomass[i] += sprout;
        let spoiled = p.spoilage_rate * (energy[i] - p.storage * biomass[i]).max(0.0);
        energy[i] -= spoiled;
        litter[i] += spoiled;
        litterfall[i] += spoiled;
    }
}
