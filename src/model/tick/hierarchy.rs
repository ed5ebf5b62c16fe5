//! The hierarchy: what leadership can know, what it decides, and how its decisions arrive.
//!
//! Leadership sees each tree through its reports, which climb one hop of the reporting lines
//! per `hop_delay` ticks and are summarised at every hop by a manager who, stressed or
//! distrustful, pulls them toward the average of the teams under it. Every decision leadership
//! takes, a command or a condition alike, goes down the same lines at the same speed: a tree
//! `depth` hops down learns of it `depth × hop_delay` ticks after it was taken (less where
//! feedback is open), and each manager on the way spends attention passing it on.

use super::{EPS, network, practice, structure, trust};
use crate::model::Practice;
use crate::model::forest::{Cause, CauseRoute, Directive, Forest, NONE, Order};
use crate::model::intervention::{InterventionKind, Style};
use crate::model::metrics::Ledger;

/// A delay shortened by open feedback (`open` 0 to 1 removes up to `cut` of it), at least 1.
pub fn shortened(delay: u32, open: f64, cut: f64) -> u32 {
    let d = (delay as f64 * (1.0 - cut * open) + 0.5).floor() as u32;
    d.max(1)
}

/// What leadership sees of a tree through its reports.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Picture {
    pub return_: f64,
    /// The budget the team said it can spare, above its reserve.
    pub spare: f64,
    /// Reported value per person.
    pub output: f64,
    /// The light the team said it sees where it works (0 where reports do not state it).
    pub light: f64,
}

impl Forest {
    /// Ticks a decision takes from the top to tree `i`, and a report from `i` to the top: `depth
    /// × hop_delay`, shortened by the tree's open feedback as one climb (rounded once, not hop
    /// by hop, so that a short hop is shortened too where the climb is long enough).
    pub(crate) fn hierarchy_delay(&self, i: usize) -> u32 {
        let climb = self.trees.depth[i] * self.params.hop_delay;
        let open = self.trees.practices.level[Practice::Open.index()][i];
        if climb > 0 && open > 0.0 { shortened(climb, open, self.params.open_cut) } else { climb }
    }

    /// Leadership's picture of each chosen tree: the return on effort, the spare budget and the value
    /// per person its report states, as old as the climb takes, summarised at every hop by the
    /// manager there. A manager keeps of what distinguishes a report from the teams under it as
    /// much as it can follow (`span_of_detail × size` teams of all those below it), less `blur ×
    /// (1 − open) × (stress + distrust) / 2`.
    pub(crate) fn pictures(&self, chosen: &[u32]) -> Vec<Picture> {
        let t = &self.trees;
        let n = self.team_count();
        let p = &self.params;
        let raw: Vec<Picture> = (0..n)
            .map(|i| {
                let age = self.hierarchy_delay(i);
                let r = self.reports.ago(i, age);
                Picture {
                    return_: r.return_(),
                    spare: r.spare(),
                    output: r.output(),
                    light: self.reports.light_ago(i, age),
                }
            })
            .collect();
        // Mean report of every manager's descendants, summed from the deepest trees up.
        let mut order: Vec<u32> = (0..n as u32).filter(|&i| t.alive[i as usize]).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(t.depth[i as usize]));
        let (mut sum, mut count) = (vec![Picture::default(); n], vec![0.0f64; n]);
        for &i in &order {
            let i = i as usize;
            let up = t.parent[i];
            if up != NONE {
                let u = up as usize;
                sum[u].return_ += sum[i].return_ + raw[i].return_;
                sum[u].spare += sum[i].spare + raw[i].spare;
                sum[u].output += sum[i].output + raw[i].output;
                sum[u].light += sum[i].light + raw[i].light;
                count[u] += count[i] + 1.0;
            }
        }
        let open = t.practices.get(Practice::Open);
        chosen
            .iter()
            .map(|&i| {
                let mut v = raw[i as usize];
                let mut j = t.parent[i as usize];
                while j != NONE {
                    let m = j as usize;
                    let followed = (p.span_of_detail * t.size[m] / count[m].max(1.0)).min(1.0);
                    let keep = followed
                        * (1.0
                            - p.picture_blur
                                * (1.0 - p.open_cut * open[m])
                                * (0.5 * t.stress[m] + 0.5 * (1.0 - t.trust[m])));
                    if count[m] > 0.0 {
                        v.return_ = keep * v.return_ + (1.0 - keep) * sum[m].return_ / count[m];
                        v.spare = keep * v.spare + (1.0 - keep) * sum[m].spare / count[m];
                        v.output = keep * v.output + (1.0 - keep) * sum[m].output / count[m];
                        v.light = keep * v.light + (1.0 - keep) * sum[m].light / count[m];
                    }
                    j = t.parent[m];
                }
                v
            })
            .collect()
    }

    /// Leadership ends every decision in force (not the shocks: they are the weather), as a
    /// forest that takes another road does. Standing decisions issue no more rounds; orders of a
    /// practice still on their way are recalled (a call-off could otherwise arrive first, where a
    /// delay has shortened since, and the older order would set the practice again); and each
    /// tree asked for a practice is told to let it go by an order that goes down the reporting
    /// lines like any other decision, is judged by the same trust rule, and costs the same
    /// attention. A tree never asked (one alignment found its own best) is told nothing. What
    /// was already built (links, a new structure) and budget already moving stay.
    pub fn end_decisions(&mut self) {
        let tick = self.tick;
        let ending: Vec<_> = self
            .active
            .iter()
            .filter(|a| a.intervention.kind.style() != Style::Shock && a.in_force(tick))
            .map(|a| a.intervention.clone())
            .collect();
        self.active.retain(|a| a.intervention.kind.style() == Style::Shock);
        forget_ended_decisions(self);
        // Call-offs of an earlier ending still travel: they ask for nothing.
        let asks = |o: &Order| match *o {
            Order::Practice { level, .. } => level > 0.0,
            Order::Align { .. } | Order::Target { .. } => true,
            _ => false,
        };
        for orders in self.pending.values_mut() {
            orders.retain(|d| !asks(&d.order));
        }
        self.standing_due.fill(0);
        for (&due, orders) in &self.pending {
            for d in orders.iter().filter(|d| sets_how_it_works(&d.order)) {
                self.standing_due[d.tree as usize] = due;
            }
        }
        let mut told = std::collections::BTreeSet::new();
        for iv in ending {
            let Some(practice) = iv.kind.practice() else { continue };
            let chosen = self.selected(&iv.on);
            let asked: Vec<u32> = chosen
                .into_iter()
                .filter(|&i| practice::asked_now(&self.trees, i as usize, practice, tick) > 0.0)
                .filter(|&i| told.insert((practice.index(), i)))
                .collect();
            for &i in &asked {
                self.send(i, iv.kind, Order::Practice { practice, level: 0.0, until: tick }, iv.strength);
            }
            self.relay_to(&asked, iv.kind);
        }
    }

    /// Sends `order` to tree `i`, arriving `hierarchy_delay(i)` ticks from now.
    pub(crate) fn send(&mut self, i: u32, kind: InterventionKind, order: Order, strength: f64) {
        let delay = self.hierarchy_delay(i as usize);
        self.send_after(i, kind, order, strength, delay);
    }

    pub(crate) fn send_after(&mut self, i: u32, kind: InterventionKind, order: Order, strength: f64, delay: u32) {
        if let Order::Give { round, .. } | Order::Receive { round, .. } = order {
            self.rounds.entry(round).or_default().outstanding += 1;
        }
        // An order that sets how a tree works never overtakes one given it before: where a delay
        // has shortened since (open feedback), the older order would otherwise land last and undo
        // the newer one.
        let mut delay = delay;
        if sets_how_it_works(&order) {
            let due = (self.tick + delay as u64).max(self.standing_due[i as usize]);
            self.standing_due[i as usize] = due;
            delay = (due - self.tick) as u32;
        }
        // What leadership knew of the tree was as old as its reports' climb; the decision is
        // older by the time it takes to arrive (a receipt may wait for the gives that pay it).
        let signal_age = self.hierarchy_delay(i as usize) + delay;
        self.pending.entry(self.tick + delay as u64).or_default().push(Directive {
            tree: i,
            kind,
            order,
            delay,
            signal_age,
            strength,
        });
    }

    /// Every manager on the way from the top to the trees a decision concerns passes it on once
    /// to each direct report through which it travels: a `Relay` arrives at it in its own time.
    fn relay_to(&mut self, recipients: &[u32], kind: InterventionKind) {
        let t = &self.trees;
        let n = self.team_count();
        let mut counted = vec![false; n];
        let mut passes = vec![0u32; n];
        for &r in recipients {
            let mut c = r as usize;
            while t.parent[c] != NONE && !counted[c] {
                counted[c] = true;
                passes[t.parent[c] as usize] += 1;
                c = t.parent[c] as usize;
            }
        }
        for m in 0..n {
            if passes[m] > 0 {
                self.send(m as u32, kind, Order::Relay(passes[m]), 0.0);
            }
        }
    }
}

/// Orders that set how a tree works from their arrival on, so that their order matters.
fn sets_how_it_works(order: &Order) -> bool {
    matches!(order, Order::Practice { .. } | Order::Target { .. } | Order::Align { .. })
}

/// Leadership drops its records of the orders of decisions no longer in force.
pub(super) fn forget_ended_decisions(f: &mut Forest) {
    let live: Vec<u32> = f.active.iter().map(|a| a.id).collect();
    f.measured.retain(|&(decision, _), _| live.contains(&decision));
    f.aligned.retain(|&(decision, _), _| live.contains(&decision));
}

/// Leadership issues the decisions that start now and the periodic orders of standing
/// commands that fall due now.
#[inline(always)]
pub(super) fn issue(f: &mut Forest) {
    let tick = f.tick;
    let p = &f.params;
    let due: Vec<_> = f
        .active
        .iter()
        .filter(|a| a.intervention.kind.style() != Style::Shock && a.in_force(tick))
        .filter(|a| {
            // Ticks between the rounds of a standing command; 0 for a decision taken once.
            let period = match a.intervention.kind {
                InterventionKind::Mandate | InterventionKind::EnforceAlignment => p.mandate_period.max(1),
                InterventionKind::Target => p.target_review,
                _ => 0,
            } as u64;
            a.start == tick || (period > 0 && (tick - a.start).is_multiple_of(period))
        })
        .map(|a| (a.id, a.intervention.clone(), a.intervention.end(a.start), a.start == tick))
        .collect();
    for (id, iv, until, first) in due {
        let chosen = f.selected(&iv.on);
        if chosen.is_empty() {
            continue;
        }
        let s = iv.strength;
        let kind = iv.kind;
        match kind {
            InterventionKind::Mandate => mandate(f, &chosen, s),
            InterventionKind::EnforceAlignment => align(f, &chosen, s, until, first, id),
            InterventionKind::Target => {
                let pictures = pointing_pictures(f, &chosen);
                let best = best_within_reach(f, &chosen, &pictures);
                // The measure is the work that pays best within reach: a tree that is its own
                // best is measured on the work it does as the target is set. A review re-aims
                // only the targets whose best the reports now show at another team.
                for (k, &i) in chosen.iter().enumerate() {
                    let team = chosen[best[k]];
                    if f.measured.insert((id, i), team) == Some(team) && !first {
                        continue;
                    }
                    let goal = works_at(f, team);
                    f.send(i, kind, Order::Target { goal, pressure: s, until }, s);
                }
            }
            InterventionKind::Reorganize => structure::plan_reorganization(f, &chosen, s),
            InterventionKind::CutWeakest => cut(f, &chosen, s),
            InterventionKind::GrowConnections => {
                for &i in &chosen {
                    f.send(i, kind, Order::Connect(s), s);
                }
            }
            _ => {
                let practice = kind.practice().expect("every other leadership decision sets a practice");
                for &i in &chosen {
                    f.send(i, kind, Order::Practice { practice, level: s, until }, s);
                }
            }
        }
        // Every round of a decision costs the managers of the trees it concerns: they read the
        // reports and pass it on, whether or not it ends in orders.
        f.relay_to(&chosen, kind);
    }
}

/// A reallocation. Leadership moves budget from where its picture shows work paying least to
/// where it shows work paying most: by the return on effort each report states (as late as the
/// reports), the value a unit of budget spent on work brings there. Trees below `1 − band` of
/// the mean return are told to hand `strength` of their surplus to a pool, and trees above `1 +
/// band` to draw from it in proportion to how far above they look, planned from the spare budget
/// the reports state (what a team holds above its reserve); a tree takes in no more than it can hold. Leadership does not count what
/// its earlier orders still carry: it sees a reallocation's effect only when the reports that
/// show it arrive.
fn mandate(f: &mut Forest, chosen: &[u32], s: f64) {
    let seen = f.pictures(chosen);
    let pictures: Vec<f64> = seen.iter().map(|v| v.return_).collect();
    let mean = pictures.iter().sum::<f64>() / pictures.len() as f64;
    let (low, high) = ((1.0 - f.params.mandate_band) * mean, (1.0 + f.params.mandate_band) * mean);
    let mut planned = 0.0;
    let mut weights = 0.0;
    for k in 0..chosen.len() {
        if pictures[k] < low {
            planned += s * seen[k].spare;
        } else if pictures[k] > high {
            weights += pictures[k] - high;
        }
    }
    if planned > 0.0 && weights > 0.0 {
        let round = f.next_round;
        f.next_round = f.next_round.wrapping_add(1);
        // A receipt is paid from what the gives collect, so leadership times each to land no
        // earlier than the last give (a receiver nearer the top would otherwise find the pool
        // empty, and the round would hand its budget back unpaid).
        let last_give = (0..chosen.len())
            .filter(|&k| pictures[k] < low)
            .map(|k| f.hierarchy_delay(chosen[k] as usize))
            .max()
            .unwrap_or(0);
        for (k, &i) in chosen.iter().enumerate() {
            if pictures[k] < low {
                f.send(i, InterventionKind::Mandate, Order::Give { round, share: s }, s);
            } else if pictures[k] > high {
                let amount = planned * (pictures[k] - high) / weights;
                let delay = f.hierarchy_delay(i as usize).max(last_give);
                f.send_after(i, InterventionKind::Mandate, Order::Receive { round, amount }, s, delay);
            }
        }
    }
}

/// The returns a picture shows.
pub(super) fn returns(pictures: Vec<Picture>) -> Vec<f64> {
    pictures.into_iter().map(|p| p.return_).collect()
}

/// What the decisions that point trees at work (targets, alignment orders) rank the chosen
/// trees' work by: the return the picture shows, or, where reports state the light
/// (`Params::point_by_light`), the light it shows. One rule for both levers.
fn pointing_pictures(f: &Forest, chosen: &[u32]) -> Vec<f64> {
    let pictures = f.pictures(chosen);
    if f.params.point_by_light > 0 { pictures.into_iter().map(|p| p.light).collect() } else { returns(pictures) }
}

/// For each chosen tree, the chosen tree within its reach (itself included) whose work the
/// picture shows paying best: a sliding window of ±reach over the trees in order of position, its
/// best kept at the front of a queue of candidates (the usual monotonic-queue maximum).
fn best_within_reach(f: &Forest, chosen: &[u32], pictures: &[f64]) -> Vec<usize> {
    let reach = f.params.reach;
    let at = |k: usize| f.trees.x[chosen[k] as usize];
    let mut order: Vec<usize> = (0..chosen.len()).collect();
    order.sort_by(|&a, &b| at(a).total_cmp(&at(b)).then(a.cmp(&b)));
    // The width wraps round, as the light does: the teams within reach of one edge are within
    // reach across it too, so they also stand, shifted by the width, beyond the other edge.
    let mut ring: Vec<(f64, usize)> = Vec::with_capacity(order.len());
    ring.extend(order.iter().filter(|&&k| at(k) >= 1.0 - reach).map(|&k| (at(k) - 1.0, k)));
    let first = ring.len();
    ring.extend(order.iter().map(|&k| (at(k), k)));
    let last = ring.len();
    ring.extend(order.iter().filter(|&&k| at(k) <= reach).map(|&k| (at(k) + 1.0, k)));
    let mut best = vec![0usize; chosen.len()];
    let mut queue: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    let (mut enter, mut leave) = (0, 0);
    for &(here, k) in &ring[first..last] {
        while enter < ring.len() && ring[enter].0 <= here + reach {
            let e = ring[enter].1;
            while queue.back().is_some_and(|&b| pictures[ring[b].1] <= pictures[e]) {
                queue.pop_back();
            }
            queue.push_back(enter);
            enter += 1;
        }
        while leave < enter && ring[leave].0 < here - reach {
            if queue.front() == Some(&leave) {
                queue.pop_front();
            }
            leave += 1;
        }
        best[k] = match queue.front() {
            Some(&b) if pictures[ring[b].1] > pictures[k] => ring[b].1,
            _ => k,
        };
    }
    best
}

/// Where tree `i` works now: where it looks for light (its position plus `reach × lean`). A
/// return in a report is the return of that work, so it is there, not at the team's position,
/// that a decision points when it points at a team's work. Leadership knows what each team
/// works on as it decides (an assumption: only how well the work pays comes through reports).
fn works_at(f: &Forest, i: u32) -> f64 {
    let i = i as usize;
    f.trees.x[i] + f.params.reach * f.trees.lean[i]
}

/// Alignment: every period, each tree is told to lean toward the work, within its reach, whose
/// return the picture shows best, if the picture shows a team there more useful than the tree
/// itself (a competent leader gives no order where it knows nothing better); a tree told so
/// before whose own work now looks best is told once to keep to its own, so that no order
/// leadership knows to be out of date is left standing. Leadership keeps that record for each
/// alignment decision apart (`decision`), so one decision never calls back another's order.
fn align(f: &mut Forest, chosen: &[u32], s: f64, until: u64, first: bool, decision: u32) {
    let pictures = pointing_pictures(f, chosen);
    let best = best_within_reach(f, chosen, &pictures);
    let mut orders: Vec<(u32, f64)> = Vec::new();
    for (k, &i) in chosen.iter().enumerate() {
        let team = chosen[best[k]];
        let named = f.aligned.insert((decision, i), team);
        let told_elsewhere = !first && named.is_some_and(|before| before != i);
        if team != i || told_elsewhere {
            orders.push((i, works_at(f, team)));
        }
    }
    for (i, goal) in orders {
        f.send(i, InterventionKind::EnforceAlignment, Order::Align { goal, level: s, until }, s);
    }
}

/// Cutting the weakest: of the chosen teams that no one reports to, the share `cut_share ×
/// strength` whose pictured return on effort is lowest are cut. A cut removes a team, not a layer:
/// a manager's return also pays for the reports it reads and passes on, so ranking managers with
/// their teams would single them out for the work of managing, and cutting one hands all its
/// teams to the manager above, a reorganization that the decision did not weigh.
fn cut(f: &mut Forest, chosen: &[u32], s: f64) {
    let t = &f.trees;
    let chosen: Vec<u32> =
        chosen.iter().copied().filter(|&i| t.parent[i as usize] != NONE && t.children[i as usize] == 0).collect();
    let count = (f.params.cut_share * s * chosen.len() as f64).floor() as usize;
    if count == 0 {
        return;
    }
    let pictures = returns(f.pictures(&chosen));
    let mut ranked: Vec<(f64, u32)> = pictures.into_iter().zip(chosen).collect();
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for (_, i) in ranked.into_iter().take(count) {
        f.send(i, InterventionKind::CutWeakest, Order::Cut, s);
    }
}

/// The decisions due now reach their trees. Each costs attention where it lands, and is an
/// experience the tree judges from what it sees itself (`trust.rs`).
#[inline(always)]
pub(super) fn deliver(f: &mut Forest, ledger: &mut Ledger) {
    let tick = f.tick;
    let Some(due) = f.pending.remove(&tick) else {
        return;
    };
    // Gives land before receipts so a round's pool filled this tick can pay out this tick.
    let (gives, rest): (Vec<_>, Vec<_>) = due.into_iter().partition(|d| matches!(d.order, Order::Give { .. }));
    let mut changes = structure::Batch::default();
    let mut settled = Vec::new();
    for d in gives.into_iter().chain(rest) {
        if let Order::Give { round, .. } | Order::Receive { round, .. } = d.order {
            let r = f.rounds.get_mut(&round).expect("a round is open while its orders travel");
            r.outstanding -= 1;
            if r.outstanding == 0 {
                settled.push(round);
            }
        }
        let i = d.tree as usize;
        if !f.trees.alive[i] {
            continue;
        }
        if let Order::Relay(count) = d.order {
            f.add_one_off_load(i, f.params.relay_load * count as f64);
            continue;
        }
        // Distrust makes a decision harder to take in: up to twice the attention.
        f.add_one_off_load(i, f.params.directive_load * (2.0 - f.trees.trust[i]));
        let route = if d.kind.style() == Style::Command { CauseRoute::Directive } else { CauseRoute::Condition };
        let mut cause = Cause { tick, kind: Some(d.kind), route, from: NONE, delay: d.delay };
        let judged = match d.order {
            Order::Practice { practice, level, until } => {
                let m = practice::judge_change(f, i, practice, level);
                practice::order(&mut f.trees, i, practice, level, until + d.delay as u64);
                Some((m, d.strength))
            }
            Order::Target { goal, pressure, until } => {
                let ordered = super::lean::lean_toward(goal, f.trees.x[i], f.params.reach);
                // The measure counts the tree's work in the light the measured place had when the
                // target arrived, whatever the light does later; the level asked is `1 +
                // pressure` times what its planned work would count for.
                let measured_light = super::energy::light_worked_at(&f.light, &f.scratch.crowd_share, goal);
                let t = &mut f.trees;
                t.target_lean[i] = ordered;
                t.target_light[i] = measured_light;
                // What its planned work would count for without a target: a re-aimed target does
                // not compound the pressure its planned work already carries.
                let push = t.practices.level[Practice::Push.index()][i];
                let held = t.practices.level[Practice::Target.index()][i];
                let unpressed = t.planned_effort[i] * (1.0 + push) / (1.0 + push + held);
                t.target_level[i] = (1.0 + pressure) * unpressed * t.yield_[i] * measured_light / (t.light[i] + EPS);
                let m = practice::judge_change(f, i, Practice::Target, pressure);
                practice::order(&mut f.trees, i, Practice::Target, pressure, until + d.delay as u64);
                Some((m, d.strength))
            }
            Order::Align { goal, level, until } => {
                f.trees.align_goal[i] = goal;
                let m = practice::judge_change(f, i, Practice::Align, level);
                practice::order(&mut f.trees, i, Practice::Align, level, until + d.delay as u64);
                Some((m, d.strength))
            }
            Order::Give { round, share } => {
                let t = &mut f.trees;
                let amount = share * (t.energy[i] - f.params.reserve * t.biomass[i]).max(0.0);
                t.energy[i] -= amount;
                t.mandated[i] -= amount;
                f.pool += amount;
                let r = f.rounds.get_mut(&round).expect("open round");
                r.collected += amount;
                r.givers.push((d.tree, amount));
                let m = trust::agrees(t.signal[i], t.heard_typical[i], false);
                Some((m, trust::materiality(&f.params, amount, t.biomass[i])))
            }
            Order::Receive { round, amount } => {
                let t = &mut f.trees;
                // A tree cannot take in more than it can hold; the rest stays in the round.
                let room = (f.params.storage * t.biomass[i] - t.energy[i]).max(0.0);
                let r = f.rounds.get_mut(&round).expect("open round");
                let amount = amount.min(r.collected).min(room);
                r.collected -= amount;
                t.energy[i] += amount;
                t.mandated[i] += amount;
                f.pool -= amount;
                network::allocation_age(t, i, d.signal_age as f64, amount);
                let m = trust::agrees(t.signal[i], t.heard_typical[i], true);
                Some((m, trust::materiality(&f.params, amount, t.biomass[i])))
            }
            Order::Unlink(other) => {
                cause.route = CauseRoute::Reorganized;
                changes.unlink(f, d.tree, other, d.strength);
                None
            }
            Order::Link(other) => {
                cause.route = CauseRoute::Reorganized;
                changes.link(f, d.tree, other, d.strength, ledger);
                None
            }
            Order::ReportTo(manager) => {
                cause.route = CauseRoute::Reorganized;
                changes.report_to(f, d.tree, manager, d.strength);
                None
            }
            Order::MovePeople { from, to, share } => {
                cause.route = CauseRoute::PeopleMoved;
                changes.move_people(f, from, to, share, d.strength);
                None
            }
            Order::Cut => {
                changes.cut(f, d.tree, d.strength);
                None
            }
            Order::Connect(chance) => {
                changes.connect(f, d.tree, chance, d.strength, ledger);
                None
            }
            Order::Relay(_) => None,
        };
        if let Some((m, weight)) = judged {
            trust::experience(f, i, weight, m);
        }
        f.record_cause(d.tree, cause);
    }
    changes.finish(f);
    for round in settled {
        settle(f, round);
    }
}

/// A round whose orders have all arrived hands what it did not pay out back to its givers, in
/// proportion to what each gave (to every living tree evenly if its givers are gone).
fn settle(f: &mut Forest, round: u32) {
    let r = f.rounds.remove(&round).expect("settling an open round");
    if r.collected <= 0.0 {
        f.pool -= r.collected;
        return;
    }
    let living: Vec<(u32, f64)> = r.givers.iter().copied().filter(|&(i, _)| f.trees.alive[i as usize]).collect();
    let given: f64 = living.iter().map(|&(_, a)| a).sum();
    let shares: Vec<(u32, f64)> = if given > 0.0 {
        living.iter().map(|&(i, a)| (i, r.collected * a / given)).collect()
    } else {
        let alive: Vec<u32> = (0..f.team_count() as u32).filter(|&i| f.trees.alive[i as usize]).collect();
        let each = r.collected / alive.len().max(1) as f64;
        alive.into_iter().map(|i| (i, each)).collect()
    };
    let mut paid = 0.0;
    for (i, amount) in shares {
        f.trees.energy[i as usize] += amount;
        f.trees.mandated[i as usize] += amount;
        paid += amount;
    }
    f.pool -= paid;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tick::test_team as team;
    use crate::model::{LightConfig, Params};

    /// The alignment orders waiting for tree `i`: their goals.
    fn align_goals(f: &Forest, i: u32) -> Vec<f64> {
        f.pending
            .values()
            .flatten()
            .filter(|d| d.tree == i)
            .filter_map(|d| if let Order::Align { goal, .. } = d.order { Some(goal) } else { None })
            .collect()
    }

    #[test]
    fn a_tree_told_to_lean_elsewhere_whose_own_work_now_looks_best_is_told_once_to_keep_to_it() {
        let light = LightConfig { patches: 0, ..Default::default() };
        let teams = vec![team("lead", 0.5, NONE), team("a", 0.2, 0), team("b", 0.21, 0)];
        let mut f = Forest::new(teams, Vec::new(), Params::default(), light, 1).expect("valid forest");
        // Alone in the round, `a` is its own best: with no order of leadership's standing, nothing.
        align(&mut f, &[1], 0.3, 100, false, 0);
        assert!(align_goals(&f, 1).is_empty());
        // Told before to lean toward `b`'s work, it is told to keep to its own, once.
        f.aligned.insert((0, 1), 2);
        align(&mut f, &[1], 0.3, 100, false, 0);
        assert_eq!(align_goals(&f, 1), vec![works_at(&f, 1)]);
        align(&mut f, &[1], 0.3, 100, false, 0);
        assert_eq!(align_goals(&f, 1).len(), 1);
    }

    #[test]
    fn decisions_that_point_rank_work_by_its_return_or_by_the_light_the_reports_state() {
        use crate::model::delays::Report;
        let light = LightConfig { patches: 0, ..Default::default() };
        for point_by_light in [0, 1] {
            let teams = vec![team("lead", 0.5, NONE), team("a", 0.2, 0), team("b", 0.21, 0)];
            let params = Params { point_by_light, ..Params::default() };
            let mut f = Forest::new(teams, Vec::new(), params, light.clone(), 1).expect("valid forest");
            // `b`'s work pays more, `a` works in more light; reports as old as the climb.
            for _ in 0..=f.hierarchy_delay(1) {
                f.reports.push(
                    &[Report::new(1.0, 0.0, 0.0), Report::new(1.0, 0.0, 0.0), Report::new(2.0, 0.0, 0.0)],
                    &[1.0, 2.0, 1.0],
                );
            }
            align(&mut f, &[1, 2], 0.3, 100, true, 0);
            let (told, toward) = if point_by_light > 0 { (2, 1) } else { (1, 2) };
            assert_eq!(align_goals(&f, told), vec![works_at(&f, toward)], "point_by_light {point_by_light}");
            assert!(align_goals(&f, toward).is_empty(), "point_by_light {point_by_light}");
        }
    }

    #[test]
    fn one_alignment_decision_never_calls_back_anothers_order() {
        let light = LightConfig { patches: 0, ..Default::default() };
        let teams = vec![team("lead", 0.5, NONE), team("a", 0.2, 0), team("b", 0.21, 0)];
        let mut f = Forest::new(teams, Vec::new(), Params::default(), light, 1).expect("valid forest");
        // Decision 0 told `a` to lean toward `b`'s work; decision 1, over `a` alone, finds `a`
        // its own best and has told it nothing before: it says nothing.
        f.aligned.insert((0, 1), 2);
        align(&mut f, &[1], 0.3, 100, false, 1);
        assert!(align_goals(&f, 1).is_empty());
        // Once decision 0 is no longer in force, leadership forgets its record.
        forget_ended_decisions(&mut f);
        assert!(f.aligned.keys().all(|&(decision, _)| decision != 0), "{:?}", f.aligned);
    }

    #[test]
    fn open_feedback_shortens_the_whole_climb_as_the_docs_say() {
        let light = LightConfig { patches: 0, ..Default::default() };
        let teams = vec![team("lead", 0.5, NONE), team("m", 0.4, 0), team("a", 0.2, 1)];
        let params = Params { hop_delay: 2, open_cut: 0.75, ..Params::default() };
        let mut f = Forest::new(teams, Vec::new(), params, light, 1).expect("valid forest");
        assert_eq!((f.hierarchy_delay(0), f.hierarchy_delay(2)), (0, 4));
        // Two hops of two ticks at 0.3 of open feedback: 4 × (1 − 0.75 × 0.3) = 3.1 ticks, where
        // rounding hop by hop would leave each hop at 2.
        f.trees.practices.level[Practice::Open.index()][2] = 0.3;
        assert_eq!(f.hierarchy_delay(2), 3);
        f.trees.practices.level[Practice::Open.index()][0] = 1.0;
        assert_eq!(f.hierarchy_delay(0), 0, "the top is no climb at all");
    }

    #[test]
    fn every_allocation_to_a_tree_dates_its_information_by_one_rule() {
        let light = LightConfig { patches: 0, ..Default::default() };
        let mut f = Forest::new(vec![team("lead", 0.5, NONE)], Vec::new(), Params::default(), light, 1).expect("valid");
        let t = &mut f.trees;
        t.decision_age[0] = 2.0;
        network::allocation_age(t, 0, 20.0, 0.0);
        assert_eq!(t.decision_age[0], 2.0, "nothing allocated dates nothing");
        // As much as a tenth of its wood moves the age halfway, whichever channel brought it.
        network::allocation_age(t, 0, 20.0, 0.1 * t.biomass[0]);
        assert!((t.decision_age[0] - 11.0).abs() < 1e-9, "{}", t.decision_age[0]);
    }

    #[test]
    fn the_best_work_within_reach_is_found_across_the_forests_edge() {
        let light = LightConfig { patches: 0, ..Default::default() };
        let teams = vec![team("lead", 0.5, NONE), team("west", 0.01, 0), team("east", 0.985, 0), team("mid", 0.5, 0)];
        let f = Forest::new(teams, Vec::new(), Params::default(), light, 1).expect("valid forest");
        assert!(f.params.reach > 0.03, "the two edge teams are within reach across the edge");
        // `east` reports best; `west` finds it across the edge, `mid` sees neither.
        let best = best_within_reach(&f, &[1, 2, 3], &[1.0, 2.0, 1.5]);
        assert_eq!(best, vec![1, 1, 2]);
        // And the lean that points `west` at `east`'s work goes left, the short way round.
        let across = super::super::lean::lean_toward(0.985, 0.01, f.params.reach);
        assert!((across + 0.025 / f.params.reach).abs() < 1e-6, "{across}");
        assert!(super::super::lean::lean_toward(0.03, 0.01, f.params.reach) > 0.0);
    }

    #[test]
    fn an_order_never_overtakes_one_given_the_same_tree_before() {
        let light = LightConfig { patches: 0, ..Default::default() };
        let teams = vec![team("lead", 0.5, NONE), team("a", 0.2, 0)];
        let params = Params { hop_delay: 16, ..Params::default() };
        let mut f = Forest::new(teams, Vec::new(), params, light, 1).expect("valid forest");
        let first = Order::Align { goal: 0.1, level: 0.3, until: 100 };
        f.send(1, InterventionKind::EnforceAlignment, first, 0.3);
        // Open feedback then shortens the line to `a`: the next order would arrive first.
        f.trees.practices.level[Practice::Open.index()][1] = 1.0;
        assert!(f.hierarchy_delay(1) < 16);
        f.send(1, InterventionKind::EnforceAlignment, Order::Align { goal: 0.3, level: 0.3, until: 100 }, 0.3);
        let arrivals: Vec<(u64, f64)> = f
            .pending
            .iter()
            .flat_map(|(&due, orders)| orders.iter().map(move |d| (due, d)))
            .filter_map(|(due, d)| if let Order::Align { goal, .. } = d.order { Some((due, goal)) } else { None })
            .collect();
        assert_eq!(arrivals, vec![(16, 0.1), (16, 0.3)], "the newer order lands with the older one, after it");
        // A report of something else (a relay) is not held back.
        f.send(1, InterventionKind::EnforceAlignment, Order::Relay(1), 0.0);
        assert!(f.pending.keys().any(|&due| due < 16));
    }

    #[test]
    fn leadership_forgets_its_records_of_a_decision_when_it_lapses() {
        let light = LightConfig { patches: 1, centers: vec![0.2], width: 0.05, ..Default::default() };
        let teams = vec![team("lead", 0.5, NONE), team("a", 0.2, 0), team("b", 0.23, 0), team("c", 0.26, 0)];
        let mut f = Forest::new(teams, Vec::new(), Params::default(), light, 1).expect("valid forest");
        for kind in [InterventionKind::EnforceAlignment, InterventionKind::Target] {
            f.intervene(crate::model::Intervention { kind, strength: 0.5, duration: 30, on: Default::default() });
        }
        f.step();
        assert!(!f.aligned.is_empty() && !f.measured.is_empty(), "leadership keeps records while they stand");
        for _ in 0..40 {
            f.step();
        }
        assert!(f.aligned.is_empty() && f.measured.is_empty(), "{:?} {:?}", f.aligned, f.measured);
    }
}
