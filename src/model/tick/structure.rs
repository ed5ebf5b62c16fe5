//! Structure: links, reporting lines and people changed and teams cut, whoever decided it. A new
//! link costs each end `link_build_cost` energy (an end that cannot pay its part has the other
//! pay it; a link its two ends together cannot pay for is not built) and starts narrow and slow.
//! A decided change of links, manager or people costs each tree it touches `reorg_load`
//! attention once, and every person moved, decided or not, costs the team taking them in
//! `onboarding` attention; each decided change is an experience the touched trees judge from
//! what they see. A cut team's neighbours take the cut in as news of a decision
//! (`directive_load`), as they do any decision; people who move on their own pay only
//! `onboarding`.

use std::collections::{HashMap, HashSet};

use super::{EPS, trust};
use crate::model::forest::{Cause, CauseRoute, Forest, NONE, Order};
use crate::model::intervention::InterventionKind;
use crate::model::light::short_way;
use crate::model::metrics::Ledger;

fn ordered(a: u32, b: u32) -> (u32, u32) {
    if a < b { (a, b) } else { (b, a) }
}

/// A reorganization decided from the picture of each tree's return on effort. Of the links among
/// the chosen trees, the share `strength` whose ends the reports say are most alike (nothing to
/// exchange) are cut; as many new links join the trees the reports say work best to those they
/// say work worst (they need each other); people move from the teams whose reports show the least
/// value per person to those showing the most (`move_people`); and the share `strength` of chosen
/// teams whose reports differ most from their manager's other teams move under the manager, at
/// the same level, whose teams report most like them.
pub(super) fn plan_reorganization(f: &mut Forest, chosen: &[u32], s: f64) {
    if chosen.len() < 2 {
        return;
    }
    let seen = f.pictures(chosen);
    let outputs: Vec<f64> = seen.iter().map(|p| p.output).collect();
    let pictures = super::hierarchy::returns(seen);
    let n = f.team_count();
    let mut picture = vec![f64::NAN; n];
    for (k, &i) in chosen.iter().enumerate() {
        picture[i as usize] = pictures[k];
    }
    let kind = InterventionKind::Reorganize;
    // Links among the chosen, most alike first.
    let mut inside: Vec<(f64, u32, u32)> = (0..f.links.len())
        .filter_map(|l| {
            let (a, b) = (f.links.a[l], f.links.b[l]);
            let (pa, pb) = (picture[a as usize], picture[b as usize]);
            (!pa.is_nan() && !pb.is_nan()).then(|| ((pa - pb).abs() / (pa + pb + EPS), a, b))
        })
        .collect();
    inside.sort_by(|x, y| x.0.total_cmp(&y.0).then(ordered(x.1, x.2).cmp(&ordered(y.1, y.2))));
    let cuts = (s * inside.len() as f64).round() as usize;
    let mut pairs: HashSet<(u32, u32)> = (0..f.links.len()).map(|l| ordered(f.links.a[l], f.links.b[l])).collect();
    for &(_, a, b) in inside.iter().take(cuts) {
        send_pair(f, a, b, kind, Order::Unlink, s);
    }
    // The most useful with the least useful.
    let mut ranked: Vec<u32> = chosen.to_vec();
    ranked.sort_by(|&a, &b| picture[a as usize].total_cmp(&picture[b as usize]).then(a.cmp(&b)));
    let (mut low, mut high, mut added) = (0usize, ranked.len() - 1, 0usize);
    while added < cuts && low < high {
        let (a, b) = (ranked[low], ranked[high]);
        if pairs.insert(ordered(a, b)) {
            send_pair(f, a, b, kind, Order::Link, s);
            added += 1;
        }
        low += 1;
        high -= 1;
    }
    plan_people_moves(f, chosen, &outputs, s);
    // Reporting lines: the teams that fit their manager's other teams least.
    let t = &f.trees;
    let mut child_sum = vec![0.0; n];
    let mut child_count = vec![0.0; n];
    for &i in chosen {
        let up = t.parent[i as usize];
        if up != NONE {
            child_sum[up as usize] += picture[i as usize];
            child_count[up as usize] += 1.0;
        }
    }
    let mean_of = |m: usize| if child_count[m] > 0.0 { child_sum[m] / child_count[m] } else { f64::NAN };
    // A team's fit with its own manager is judged, as with any other, against the teams there
    // besides itself: counting itself would make every team look closer to where it is.
    let mean_of_others = |m: usize, i: usize| {
        if child_count[m] > 1.0 { (child_sum[m] - picture[i]) / (child_count[m] - 1.0) } else { f64::NAN }
    };
    let mut misfits: Vec<(f64, u32)> = chosen
        .iter()
        .filter(|&&i| t.parent[i as usize] != NONE)
        .map(|&i| ((picture[i as usize] - mean_of_others(t.parent[i as usize] as usize, i as usize)).abs(), i))
        .filter(|(d, _)| !d.is_nan())
        .collect();
    misfits.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let moves = (s * misfits.len() as f64).round() as usize;
    let managers: Vec<u32> = (0..n as u32).filter(|&m| t.alive[m as usize] && child_count[m as usize] > 0.0).collect();
    let mut moving = Vec::new();
    for &(fit_now, i) in misfits.iter().take(moves) {
        let current = t.parent[i as usize];
        let level = t.depth[current as usize];
        let best = managers
            .iter()
            .copied()
            .filter(|&m| m != current && m != i && t.depth[m as usize] == level)
            .map(|m| ((picture[i as usize] - mean_of(m as usize)).abs(), m))
            .min_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        if let Some((fit, m)) = best
            && fit < fit_now
        {
            moving.push((i, m));
        }
    }
    for (i, m) in moving {
        f.send(i, kind, Order::ReportTo(m), s);
    }
}

/// People move to where the reports say each person delivers most. The chosen teams are ranked
/// by the value per person their reports state; pair by pair from both ends of the ranking, where
/// the team showing more delivers more than `1 + mandate_band` times what the other shows, half
/// `strength` of the other's people move to it (so that even a reorganization at full strength
/// leaves every team half its people). Leadership knows each team's headcount (an
/// assumption: what the people deliver comes only through reports). The order goes to whichever
/// end it reaches last.
fn plan_people_moves(f: &mut Forest, chosen: &[u32], outputs: &[f64], s: f64) {
    let mut ranked: Vec<usize> = (0..chosen.len()).collect();
    ranked.sort_by(|&a, &b| outputs[a].total_cmp(&outputs[b]).then(chosen[a].cmp(&chosen[b])));
    let band = 1.0 + f.params.mandate_band;
    let (mut low, mut high) = (0usize, ranked.len().saturating_sub(1));
    while low < high {
        let (a, b) = (ranked[low], ranked[high]);
        if outputs[b] > band * outputs[a] {
            let (from, to) = (chosen[a], chosen[b]);
            let order = |_| Order::MovePeople { from, to, share: 0.5 * s };
            send_pair(f, from, to, InterventionKind::Reorganize, order, s);
        }
        low += 1;
        high -= 1;
    }
}

/// People who move on their own (where `mobility` is above 0). Each tree says what it delivers
/// per person (its reported value over its headcount); along every link, where one end hears the
/// other, as late as the link is slow, delivering more than `1 + mandate_band` times what it
/// delivers itself, the share `mobility` of its people move there, and the team taking them in
/// spends `onboarding` attention on each, as under a reorganization. Nobody decides it, so
/// nobody judges it.
pub(super) fn drift(f: &mut Forest) {
    let n = f.team_count();
    let tick = f.tick;
    let per_person = super::network::reported_per_person;
    let slot = f.per_person_said.slot(tick);
    for i in 0..n {
        f.per_person_said.sent[slot + i] = per_person(&f.trees, i) as f32;
    }
    let band = 1.0 + f.params.mandate_band;
    for l in 0..f.links.len() {
        let (a, b) = (f.links.a[l] as usize, f.links.b[l] as usize);
        if !f.trees.alive[a] || !f.trees.alive[b] {
            continue;
        }
        let said = f.per_person_said.slot_ago(tick, f.links.effective_delay[l]);
        let heard = |j: usize| f.per_person_said.sent[said + j] as f64;
        let (from, to) = if heard(b) > band * per_person(&f.trees, a) {
            (a, b)
        } else if heard(a) > band * per_person(&f.trees, b) {
            (b, a)
        } else {
            continue;
        };
        let people = f.params.mobility * f.trees.size[from];
        f.trees.size[from] -= people;
        f.trees.size[to] += people;
        f.add_one_off_load(to, f.params.onboarding * people);
        f.record_drift(to as u32, from as u32);
        f.record_drift(from as u32, to as u32);
    }
}

/// An order about the link (or the people) between `a` and `b` goes to whichever end it reaches
/// last.
fn send_pair(f: &mut Forest, a: u32, b: u32, kind: InterventionKind, order: impl Fn(u32) -> Order, s: f64) {
    let (da, db) = (f.hierarchy_delay(a as usize), f.hierarchy_delay(b as usize));
    let (late, early, delay) = if da >= db { (a, b, da) } else { (b, a, db) };
    f.send_after(late, kind, order(early), s, delay);
}

/// Records at `end` that a reorganization changed what joins it to `other` this tick: their link
/// (`Reorganized`) or their people (`PeopleMoved`).
fn rewired(f: &mut Forest, end: u32, other: u32, route: CauseRoute) {
    let tick = f.tick;
    f.record_cause(end, Cause { tick, kind: Some(InterventionKind::Reorganize), route, from: other, delay: 0 });
}

/// A structural change reaches tree `i`: it pays `reorg_load` attention once this tick.
fn touch(f: &mut Forest, i: u32) {
    let i = i as usize;
    if !f.scratch.touched[i] {
        f.scratch.touched[i] = true;
        f.add_one_off_load(i, f.params.reorg_load);
    }
}

/// This tick's structural changes, applied together: which links each tree has (built when
/// the first change arrives), and the links and trees going.
#[derive(Default)]
pub(super) struct Batch {
    links_of: Vec<Vec<usize>>,
    pairs: HashMap<(u32, u32), usize>,
    gone: Vec<bool>,
    built: bool,
    changed_hierarchy: bool,
}

impl Batch {
    fn ensure(&mut self, f: &Forest) {
        if self.built {
            return;
        }
        self.built = true;
        self.links_of = vec![Vec::new(); f.team_count()];
        for l in 0..f.links.len() {
            let (a, b) = (f.links.a[l], f.links.b[l]);
            self.links_of[a as usize].push(l);
            self.links_of[b as usize].push(l);
            self.pairs.insert(ordered(a, b), l);
        }
        self.gone = vec![false; f.links.len()];
    }

    /// Both ends of a link about to be cut judge it: losing a link that carried much of what
    /// flowed through a tree is unwelcome, losing an idle one is not.
    pub(super) fn unlink(&mut self, f: &mut Forest, a: u32, b: u32, strength: f64) {
        self.ensure(f);
        let Some(&l) = self.pairs.get(&ordered(a, b)) else { return };
        if self.gone[l] {
            return;
        }
        self.gone[l] = true;
        self.pairs.remove(&ordered(a, b));
        // Both ways: a link busy each way carried much of what flowed through its ends, though
        // little on balance.
        let carried = f.links.traffic[l];
        for (end, other) in [(a, b), (b, a)] {
            let e = end as usize;
            if !f.trees.alive[e] {
                continue;
            }
            touch(f, end);
            let through = f.trees.inflow[e] + f.trees.outflow[e];
            trust::experience(f, e, strength, trust::agrees_with_losing_a_link(carried, through));
            rewired(f, end, other, CauseRoute::Reorganized);
        }
    }

    /// A new link between `a` and `b` (if there is none), narrow and slow at first; each end
    /// pays to build it. Its value cannot be seen before it carries anything: a coin toss.
    pub(super) fn link(&mut self, f: &mut Forest, a: u32, b: u32, strength: f64, ledger: &mut Ledger) {
        self.ensure(f);
        if !f.trees.alive[a as usize] || !f.trees.alive[b as usize] || self.pairs.contains_key(&ordered(a, b)) {
            return;
        }
        if !self.add(f, a, b, ledger) {
            return;
        }
        for (end, other) in [(a, b), (b, a)] {
            touch(f, end);
            trust::experience(f, end as usize, strength, trust::UNSEEN);
            rewired(f, end, other, CauseRoute::Reorganized);
        }
    }

    /// Builds a link between `a` and `b`, each end paying `link_build_cost`, and the one that
    /// can more of what the other cannot; a link the two together cannot pay for is not built
    /// (and nobody pays).
    fn add(&mut self, f: &mut Forest, a: u32, b: u32, ledger: &mut Ledger) -> bool {
        let cost = f.params.link_build_cost;
        let (ea, eb) = (f.trees.energy[a as usize].max(0.0), f.trees.energy[b as usize].max(0.0));
        if ea + eb < 2.0 * cost {
            return false;
        }
        let pa = cost.min(ea) + (cost - eb).max(0.0);
        let paid = [(a as usize, pa), (b as usize, 2.0 * cost - pa)];
        let l = f.links.len();
        f.links.push(a, b, f.params.new_link_delay, f.params.min_capacity);
        self.links_of[a as usize].push(l);
        self.links_of[b as usize].push(l);
        self.pairs.insert(ordered(a, b), l);
        self.gone.push(false);
        for (end, share) in paid {
            f.trees.energy[end] -= share;
            ledger.links += share;
        }
        true
    }

    /// Tree `i` reports to `manager` from now on, if that manager is alive and at the level of
    /// its current one. It judges the move by whether its new manager has more attention to
    /// spare than its old one.
    pub(super) fn report_to(&mut self, f: &mut Forest, i: u32, manager: u32, strength: f64) {
        let t = &f.trees;
        let (iu, m) = (i as usize, manager as usize);
        let current = t.parent[iu];
        if current == NONE || !t.alive[m] || t.depth[m] != t.depth[current as usize] || m == iu {
            return;
        }
        let load = |j: usize| t.attention_load[j] / (t.attention_capacity[j] + EPS);
        let agreement = trust::agrees_with_a_new_manager(load(current as usize), load(m));
        f.trees.parent[iu] = manager;
        touch(f, i);
        trust::experience(f, iu, strength, agreement);
        self.changed_hierarchy = true;
    }

    /// `share` of team `from`'s people move to team `to`, if both are alive. Both ends pay
    /// `reorg_load`, and `to` spends `onboarding` attention on each person it takes in. Each end
    /// judges the move as it judges a transfer of budget: by whether it sees itself as more
    /// useful than the typical place it hears of.
    pub(super) fn move_people(&mut self, f: &mut Forest, from: u32, to: u32, share: f64, strength: f64) {
        let (a, b) = (from as usize, to as usize);
        if a == b || !f.trees.alive[a] || !f.trees.alive[b] {
            return;
        }
        let people = share.clamp(0.0, 1.0) * f.trees.size[a];
        if people <= 0.0 {
            return;
        }
        f.trees.size[a] -= people;
        f.trees.size[b] += people;
        touch(f, from);
        touch(f, to);
        f.add_one_off_load(b, f.params.onboarding * people);
        for (end, other, inward) in [(from, to, false), (to, from, true)] {
            let e = end as usize;
            let agreement = trust::agrees(f.trees.signal[e], f.trees.heard_typical[e], inward);
            trust::experience(f, e, strength, agreement);
            rewired(f, end, other, CauseRoute::PeopleMoved);
        }
    }

    /// Team `i` is cut: its wood falls as litter, its budget goes up to its manager (as would
    /// any reports it had; leadership cuts only teams no one reports to), its links go. Each
    /// neighbour takes the news in like any decision and judges the cut by how useful the cut
    /// team looked to it against itself.
    pub(super) fn cut(&mut self, f: &mut Forest, i: u32, strength: f64) {
        self.ensure(f);
        let iu = i as usize;
        let tick = f.tick;
        let mut neighbours = Vec::new();
        for &l in &self.links_of[iu] {
            if self.gone[l] {
                continue;
            }
            self.gone[l] = true;
            let (a, b) = (f.links.a[l], f.links.b[l]);
            self.pairs.remove(&ordered(a, b));
            // What the cut team last said of its usefulness.
            neighbours.push((if a == i { b } else { a }, f.trees.signal[iu]));
        }
        let t = &mut f.trees;
        t.alive[iu] = false;
        t.litter[iu] += t.biomass[iu];
        t.litterfall[iu] += t.biomass[iu];
        t.biomass[iu] = 0.0;
        let grandparent = t.parent[iu];
        // The lead is never cut, so a cut team always has a manager to hand its budget back to.
        t.energy[grandparent as usize] += t.energy[iu].max(0.0);
        t.energy[iu] = t.energy[iu].min(0.0);
        for p in t.parent.iter_mut() {
            if *p == i {
                *p = grandparent;
            }
        }
        self.changed_hierarchy = true;
        for (j, seen) in neighbours {
            let ju = j as usize;
            if !f.trees.alive[ju] {
                continue;
            }
            let agreement = trust::agrees(f.trees.signal[ju], seen, true);
            // Distrust makes a decision harder to take in, as for every decision.
            f.add_one_off_load(ju, f.params.directive_load * (2.0 - f.trees.trust[ju]));
            trust::experience(f, ju, strength, agreement);
            f.record_cause(
                j,
                Cause {
                    tick,
                    kind: Some(InterventionKind::CutWeakest),
                    route: CauseRoute::NeighbourCut,
                    from: i,
                    delay: 0,
                },
            );
        }
    }

    /// Tree `i`, asked to grow connections, links with chance `chance` to its nearest living
    /// neighbour along the ground that it is not linked to yet (of the eight trees each way). Both ends judge the new link as they judge one a reorganization adds: a coin toss,
    /// since its value cannot be seen before it carries anything.
    pub(super) fn connect(&mut self, f: &mut Forest, i: u32, chance: f64, strength: f64, ledger: &mut Ledger) {
        if f.rng.unit() >= chance {
            return;
        }
        self.ensure(f);
        let rank = f.position_rank[i as usize] as usize;
        let n = f.by_position.len();
        let x = f.trees.x[i as usize];
        let mut best: Option<(f64, u32)> = None;
        // The width wraps round, as the light does: the nearest may stand across the edge.
        for step in 1..=8usize {
            for r in [(rank + n - step % n) % n, (rank + step) % n] {
                let j = f.by_position[r];
                if j != i && f.trees.alive[j as usize] && !self.pairs.contains_key(&ordered(i, j)) {
                    let d = short_way(x, f.trees.x[j as usize]).abs();
                    if best.is_none_or(|(bd, bj)| d < bd || (d == bd && j < bj)) {
                        best = Some((d, j));
                    }
                }
            }
        }
        let Some((_, j)) = best else { return };
        if !self.add(f, i, j, ledger) {
            return;
        }
        touch(f, i);
        touch(f, j);
        let tick = f.tick;
        for (end, other) in [(i, j), (j, i)] {
            trust::experience(f, end as usize, strength, trust::UNSEEN);
            f.record_cause(
                end,
                Cause {
                    tick,
                    kind: Some(InterventionKind::GrowConnections),
                    route: CauseRoute::Condition,
                    from: other,
                    delay: 0,
                },
            );
        }
    }

    /// Removes the links that went and settles the hierarchy.
    pub(super) fn finish(self, f: &mut Forest) {
        if self.built && self.gone.iter().any(|&g| g) {
            let gone = self.gone;
            f.links.retain(|l| !gone[l]);
        }
        if self.changed_hierarchy {
            f.recompute_hierarchy();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Params;
    use crate::model::tick::test_forest;

    #[test]
    fn losing_a_link_busy_both_ways_is_unwelcome_though_it_carried_nothing_on_balance() {
        let mut f = test_forest(Params::default(), true);
        f.scratch.experience_pull = vec![0.0; 3];
        f.scratch.touched = vec![false; 3];
        // All that each end gave and took went along this link, as much each way.
        f.links.flow[0] = 0.0;
        f.links.traffic[0] = 2.0;
        for i in [1, 2] {
            f.trees.inflow[i] = 1.0;
            f.trees.outflow[i] = 1.0;
        }
        Batch::default().unlink(&mut f, 1, 2, 1.0);
        for i in [1, 2] {
            let pull = f.scratch.experience_pull[i];
            assert!(pull < 0.0, "team {i}: losing its only busy link pulls trust down, not up ({pull})");
        }
    }
}
