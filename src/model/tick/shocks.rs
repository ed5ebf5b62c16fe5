//! The weather: shocks nobody decided. They strike at once where they strike (no hierarchy
//! carries them), and since nobody decided them they are no experience of anyone's coherence.

use super::reset;
use crate::model::forest::{Cause, CauseRoute, Forest, NONE};
use crate::model::intervention::{InterventionKind, Selection, Style};

/// Droughts in force over each tree; storms, light shifts and pests that start now strike now.
#[inline(always)]
pub(super) fn weather(f: &mut Forest) {
    let n = f.team_count();
    let tick = f.tick;
    if f.scratch.drought.len() != n || f.scratch.drought_somewhere {
        reset(&mut f.scratch.drought, n, 0.0);
    }
    f.scratch.drought_somewhere = false;
    let mut starting = Vec::new();
    for a in &f.active {
        let kind = a.intervention.kind;
        if kind.style() != Style::Shock {
            continue;
        }
        if kind == InterventionKind::Drought && a.in_force(tick) {
            f.scratch.drought_somewhere = true;
            let s = a.intervention.strength;
            for i in f.selected(&a.intervention.on) {
                let d = &mut f.scratch.drought[i as usize];
                *d = d.max(s);
            }
        }
        if a.start == tick {
            starting.push(a.intervention.clone());
        }
    }
    for iv in starting {
        let s = iv.strength;
        let cause = Cause { tick, kind: Some(iv.kind), route: CauseRoute::Shock, from: NONE, delay: 0 };
        match iv.kind {
            InterventionKind::Drought => {
                for i in f.selected(&iv.on) {
                    f.record_cause(i, cause);
                }
            }
            InterventionKind::Storm => storm(f, &iv.on, s),
            InterventionKind::LightShift => {
                f.light.shift(s, &mut f.light_rng);
                for i in f.selected(&Selection::All) {
                    f.record_cause(i, cause);
                }
            }
            InterventionKind::Pest => {
                // A pest lands on one chosen tree and spreads from there along links.
                let trees = f.selected(&iv.on);
                if !trees.is_empty() {
                    let first = trees[f.shock_rng.index(trees.len())];
                    f.trees.infected[first as usize] = iv.duration.clamp(1, u32::MAX as u64) as u32;
                    f.trees.pest_strength[first as usize] = s;
                    f.record_cause(first, cause);
                }
            }
            _ => {}
        }
    }
}

/// Each chosen tree is struck with chance `strength`, losing wood to litter; links with an end
/// among the chosen break. Whether and how hard each tree is struck is drawn from the weather's
/// own stream, two draws for every team, living or not, chosen or not: so the same seed strikes
/// the same places whatever leadership did before (cut teams, grew links).
fn storm(f: &mut Forest, on: &Selection, strength: f64) {
    let tick = f.tick;
    let n = f.team_count();
    let chosen = f.selected(on);
    let mut struck_area = vec![false; n];
    for &i in &chosen {
        struck_area[i as usize] = true;
    }
    let draws: Vec<(f64, f64)> = (0..n).map(|_| (f.shock_rng.unit(), f.shock_rng.unit())).collect();
    for i in chosen {
        let iu = i as usize;
        let (strikes, severity) = draws[iu];
        if strikes >= strength {
            continue;
        }
        let loss = (0.3 + 0.3 * severity) * f.trees.biomass[iu];
        f.trees.biomass[iu] -= loss;
        f.trees.litter[iu] += loss;
        f.trees.litterfall[iu] += loss;
        f.record_cause(
            i,
            Cause { tick, kind: Some(InterventionKind::Storm), route: CauseRoute::Shock, from: NONE, delay: 0 },
        );
    }
    let m = f.links.len();
    // One draw for every link, struck or not, so that where the storm covers everything the
    // draws are those it always made.
    let broken: Vec<bool> = (0..m)
        .map(|l| {
            let hit = f.rng.unit() < 0.15 * strength;
            hit && (struck_area[f.links.a[l] as usize] || struck_area[f.links.b[l] as usize])
        })
        .collect();
    f.links.retain(|l| !broken[l]);
}

/// Pests eat biomass into litter and spread along links while their shock lasts.
#[inline(always)]
pub(super) fn spread_pests(f: &mut Forest) {
    let tick = f.tick;
    let t = &mut f.trees;
    if !t.infected.iter().any(|&left| left > 0) {
        return;
    }
    let mut newly = Vec::new();
    for l in 0..f.links.len() {
        let (a, b) = (f.links.a[l] as usize, f.links.b[l] as usize);
        for (from, to) in [(a, b), (b, a)] {
            if t.infected[from] > 1 && t.infected[to] == 0 && t.alive[to] {
                let chance = 0.02 * t.pest_strength[from];
                if f.rng.unit() < chance {
                    newly.push((to, from, t.infected[from] - 1, t.pest_strength[from]));
                }
            }
        }
    }
    for i in 0..t.x.len() {
        if t.infected[i] > 0 {
            t.infected[i] -= 1;
            if t.alive[i] {
                let eaten = 0.02 * t.pest_strength[i] * t.biomass[i];
                t.biomass[i] -= eaten;
                t.litter[i] += eaten;
                t.litterfall[i] += eaten;
                t.stress[i] = (t.stress[i] + 0.01 * t.pest_strength[i]).min(1.0);
            }
        }
    }
    for (to, from, left, strength) in newly {
        if f.trees.infected[to] == 0 {
            f.trees.infected[to] = left;
            f.trees.pest_strength[to] = strength;
            f.record_cause(
                to as u32,
                Cause {
                    tick,
                    kind: Some(InterventionKind::Pest),
                    route: CauseRoute::Spread,
                    from: from as u32,
                    delay: 1,
                },
            );
        }
    }
}
