//! One tick of the forest: one function per mechanism, each serving a law of DESIGN.md.
//!
//! Order within a tick: light moves; interventions in force set this tick's conditions;
//! leadership issues orders and the orders due arrive; attention and stress; production;
//! maintenance; signals; sharing along links; leaning; growth and spoilage; recycling;
//! pests; trust; metrics and the ledger.

use std::collections::HashSet;

use super::cpu::CpuPath;
use super::forest::{Cause, CauseRoute, Directive, Forest, NONE, Order};
use super::intervention::{InterventionKind, Selection};
use super::metrics::{Ledger, Metrics};

const EPS: f64 = 1e-9;

/// Coherence a tree experienced this tick: weighted predictable (+) and unpredictable (−) events.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Experience {
    coherent: f64,
    incoherent: f64,
}

impl Experience {
    /// An order imposed from above. It must be clearly predictable (`p` above 0.7) to build
    /// trust, and builds less than an unpredictable one destroys.
    fn imposed(&mut self, weight: f64, p: f64) {
        const BAR: f64 = 0.7;
        if p > BAR {
            self.coherent += 0.3 * weight * (p - BAR) / (1.0 - BAR);
        } else {
            self.incoherent += weight * (BAR - p) / BAR;
        }
    }

    /// An event of weight `weight` whose predictability is `p` (0 to 1); 0.5 is neutral.
    fn add(&mut self, weight: f64, p: f64) {
        let d = 2.0 * (p - 0.5);
        if d > 0.0 {
            self.coherent += weight * d;
        } else {
            self.incoherent -= weight * d;
        }
    }
}

impl Forest {
    /// Advances the forest by one tick.
    ///
    /// Where the CPU has wider vectors than the x86-64 baseline, the same code runs compiled for
    /// them: loops over trees without running sums (see "Per-tree kernels" below) then handle
    /// four or eight trees per instruction. Every
    /// variant does the same IEEE operations in the same order (Rust never fuses a multiply and
    /// an add on its own, and no variant enables FMA), so results stay bit-identical on every
    /// machine; a test checks the variants against each other.
    pub fn step(&mut self) {
        self.step_on(CpuPath::fastest());
    }

    /// Advances one tick with the given compiled variant; one this CPU lacks runs `Portable`.
    /// For tests and benchmarks that compare the variants; everything else calls `step`.
    pub fn step_on(&mut self, path: CpuPath) {
        match path {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `is_available` saw this CPU has every feature `tick_avx512` is compiled for.
            CpuPath::Avx512 if path.is_available() => unsafe { self.tick_avx512() },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `is_available` saw this CPU has every feature `tick_avx2` is compiled for.
            CpuPath::Avx2 if path.is_available() => unsafe { self.tick_avx2() },
            _ => self.tick_portable(),
        }
    }

    #[inline(never)]
    fn tick_portable(&mut self) {
        self.tick_body();
    }

    /// `step` compiled for AVX2 (x86-64-v3 without FMA).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx,avx2,bmi1,bmi2,lzcnt,popcnt,sse3,ssse3,sse4.1,sse4.2")]
    #[inline(never)]
    unsafe fn tick_avx2(&mut self) {
        self.tick_body();
    }

    /// `step` compiled for AVX-512 (x86-64-v4 without FMA).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(
        enable = "avx,avx2,avx512f,avx512vl,avx512dq,avx512bw,bmi1,bmi2,lzcnt,popcnt,sse3,ssse3,sse4.1,sse4.2"
    )]
    #[inline(never)]
    unsafe fn tick_avx512(&mut self) {
        self.tick_body();
    }

    #[inline(always)]
    fn tick_body(&mut self) {
        let mut ledger = Ledger { stocks_before: self.stocks(), ..Default::default() };
        let n = self.team_count();
        let mut experience = std::mem::take(&mut self.scratch.experience);
        reset(&mut experience, n, Experience::default());
        self.trees.litterfall.iter_mut().for_each(|f| *f = 0.0);

        self.light.advance(&mut self.rng);
        self.apply_conditions();
        self.apply_instant_interventions(&mut experience);
        self.issue_orders();
        self.deliver_orders(&mut experience);
        self.measure_light();
        self.attention_and_stress();
        self.produce(&mut ledger);
        self.maintain(&mut ledger);
        self.signal();
        self.share(&mut experience);
        self.lean();
        self.grow_and_spoil();
        self.recycle(&mut ledger);
        self.spread_pests();
        self.update_trust(&experience);
        self.scratch.experience = experience;

        ledger.stocks_after = self.stocks();
        self.ledger = ledger;
        self.metrics = self.measure(ledger);
        self.tick += 1;
        let tick = self.tick;
        self.active.retain(|a| !a.intervention.kind.is_instant() && a.in_force(tick));
    }

    /// Recomputes what the interventions in force mean for each tree this tick.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    fn apply_conditions(&mut self) {
        let n = self.team_count();
        let c = &mut self.conditions;
        reset(&mut c.push_cover, n, false);
        reset(&mut c.align_cover, n, 0.0);
        reset(&mut c.target_cover, n, false);
        reset(&mut c.slack, n, 0.0);
        reset(&mut c.open, n, 0.0);
        reset(&mut c.direct, n, false);
        reset(&mut c.clarify, n, 0.0);
        reset(&mut c.soil, n, 0.0);
        reset(&mut c.drought, n, 0.0);
        let tick = self.tick;
        let mut started = Vec::new();
        for a in &self.active {
            if a.intervention.kind.is_instant() || !a.in_force(tick) {
                continue;
            }
            let s = a.intervention.strength;
            let trees = self.selected(&a.intervention.on);
            let c = &mut self.conditions;
            for &i in &trees {
                let i = i as usize;
                match a.intervention.kind {
                    InterventionKind::PushHarder => c.push_cover[i] = true,
                    InterventionKind::EnforceAlignment => c.align_cover[i] = c.align_cover[i].max(s),
                    InterventionKind::Target => c.target_cover[i] = true,
                    InterventionKind::CreateSlack => c.slack[i] = c.slack[i].max(s),
                    InterventionKind::OpenFeedback => c.open[i] = c.open[i].max(s),
                    InterventionKind::LetLightIn => c.direct[i] = true,
                    InterventionKind::ClarifyValues => c.clarify[i] = c.clarify[i].max(s),
                    InterventionKind::EnrichSoil => c.soil[i] = c.soil[i].max(s),
                    InterventionKind::Drought => c.drought[i] = c.drought[i].max(s),
                    _ => {}
                }
            }
            let kind = a.intervention.kind;
            if a.start == tick {
                started.push((kind, a.intervention.strength, a.intervention.duration, trees));
            }
        }
        for (kind, strength, duration, trees) in started {
            let route = match kind.style() {
                super::intervention::Style::Shock => CauseRoute::Shock,
                _ => CauseRoute::Condition,
            };
            // A pest lands on one chosen tree and spreads from there along links.
            if kind == InterventionKind::Pest {
                if trees.is_empty() {
                    continue;
                }
                let first = trees[self.rng.index(trees.len())];
                self.trees.infected[first as usize] = duration.max(1) as u32;
                self.trees.pest_strength[first as usize] = strength;
                self.record_cause(first, Cause { tick, kind, route, from: NONE, delay: 0 });
                continue;
            }
            // Commands record their arrival as directives instead.
            if kind.style() == super::intervention::Style::Command {
                continue;
            }
            for i in trees {
                self.record_cause(i, Cause { tick, kind, route, from: NONE, delay: 0 });
            }
        }
        // Leadership stops pushing, aligning or targeting where it no longer covers a tree.
        let t = &mut self.trees;
        let c = &self.conditions;
        for i in 0..n {
            if !c.push_cover[i] {
                t.push[i] = 0.0;
            }
            if c.align_cover[i] == 0.0 {
                t.align_goal[i] = f64::NAN;
            }
            if !c.target_cover[i] {
                t.target_pressure[i] = 0.0;
            }
        }
    }

    /// Reorganizations, cuts, new connections, storms and light shifts happen at once.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    fn apply_instant_interventions(&mut self, experience: &mut [Experience]) {
        let tick = self.tick;
        let due: Vec<_> = self
            .active
            .iter()
            .filter(|a| a.start == tick && a.intervention.kind.is_instant())
            .map(|a| a.intervention.clone())
            .collect();
        for iv in due {
            let s = iv.strength;
            match iv.kind {
                InterventionKind::Reorganize => self.reorganize(&iv.on, s, experience),
                InterventionKind::CutWeakest => self.cut_weakest(&iv.on, s, experience),
                InterventionKind::GrowConnections => self.grow_connections(&iv.on, s),
                InterventionKind::Storm => self.storm(&iv.on, s),
                InterventionKind::LightShift => {
                    self.light.shift(s, &mut self.rng);
                    for i in self.selected(&Selection::All) {
                        self.record_cause(
                            i,
                            Cause { tick, kind: iv.kind, route: CauseRoute::Shock, from: NONE, delay: 0 },
                        );
                    }
                }
                _ => {}
            }
        }
    }

    /// Leadership's picture of a tree: its reported output as it arrives after climbing the
    /// hierarchy, each hop losing information with the manager's stress and distrust.
    fn picture(&self, i: usize, mean: f64) -> (f64, u32) {
        let t = &self.trees;
        let age = t.depth[i] * self.hop_delay_at(i);
        let reported = self.history.reported[self.history.slot_ago(self.tick, age) + i] as f64;
        let mut fidelity = 1.0;
        let mut j = t.parent[i];
        while j != NONE {
            let m = j as usize;
            let open = self.conditions.open[m];
            fidelity *= 1.0 - 0.5 * (1.0 - open) * (0.5 * t.stress[m] + 0.5 * (1.0 - t.trust[m]));
            j = t.parent[m];
        }
        (reported * fidelity + mean * (1.0 - fidelity), age)
    }

    pub(super) fn hop_delay_at(&self, i: usize) -> u32 {
        shortened(self.params.hop_delay, self.conditions.open.get(i).copied().unwrap_or(0.0))
    }

    /// Commands in force send orders down the hierarchy: standing mandates and alignment every
    /// `mandate_period` ticks, targets and pushes once.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    fn issue_orders(&mut self) {
        let tick = self.tick;
        let period = self.params.mandate_period as u64;
        let issuing: Vec<_> = self
            .active
            .iter()
            .filter(|a| a.in_force(tick) && a.intervention.kind.style() == super::intervention::Style::Command)
            .filter(|a| match a.intervention.kind {
                InterventionKind::Mandate | InterventionKind::EnforceAlignment => {
                    (tick - a.start).is_multiple_of(period)
                }
                InterventionKind::Target | InterventionKind::PushHarder => tick == a.start,
                _ => false,
            })
            .map(|a| a.intervention.clone())
            .collect();
        for iv in issuing {
            let trees = self.selected(&iv.on);
            if trees.is_empty() {
                continue;
            }
            let mean_reported = {
                let total: f64 = trees
                    .iter()
                    .map(|&i| self.history.reported[self.history.slot_ago(tick, 0) + i as usize] as f64)
                    .sum();
                total / trees.len() as f64
            };
            let pictures: Vec<(f64, u32)> = trees.iter().map(|&i| self.picture(i as usize, mean_reported)).collect();
            let s = iv.strength;
            let mut orders: Vec<(u32, Order, u32)> = Vec::new();
            match iv.kind {
                InterventionKind::Mandate => {
                    // Productivity as leadership sees it: reported output per head.
                    let productivity: Vec<f64> =
                        trees.iter().zip(&pictures).map(|(&i, &(p, _))| p / self.trees.size[i as usize]).collect();
                    // Leadership moves energy only where the difference looks material: from
                    // trees below 80% of the mean productivity to those above 120%.
                    let mean = productivity.iter().sum::<f64>() / productivity.len() as f64;
                    let (low, high) = (0.8 * mean, 1.2 * mean);
                    let mut planned = 0.0;
                    let mut weights = 0.0;
                    for (k, &i) in trees.iter().enumerate() {
                        if productivity[k] < low {
                            let t = &self.trees;
                            planned +=
                                s * (t.energy[i as usize] - self.params.reserve * t.biomass[i as usize]).max(0.0);
                        } else if productivity[k] > high {
                            weights += productivity[k] - high;
                        }
                    }
                    if planned > 0.0 && weights > 0.0 {
                        for (k, &i) in trees.iter().enumerate() {
                            if productivity[k] < low {
                                orders.push((i, Order::Give(s), pictures[k].1));
                            } else if productivity[k] > high {
                                let share = (productivity[k] - high) / weights;
                                orders.push((i, Order::Receive(planned * share), pictures[k].1));
                            }
                        }
                    }
                }
                InterventionKind::Target => {
                    for (k, &i) in trees.iter().enumerate() {
                        orders.push((
                            i,
                            Order::Target { level: pictures[k].0 * (1.0 + s), pressure: s },
                            pictures[k].1,
                        ));
                    }
                }
                InterventionKind::PushHarder => {
                    for (k, &i) in trees.iter().enumerate() {
                        orders.push((i, Order::Push(s), pictures[k].1));
                    }
                }
                InterventionKind::EnforceAlignment => {
                    let best =
                        (0..trees.len()).max_by(|&a, &b| pictures[a].0.total_cmp(&pictures[b].0).then(b.cmp(&a)));
                    let goal = best.map(|k| self.trees.x[trees[k] as usize]).unwrap_or(0.5);
                    for (k, &i) in trees.iter().enumerate() {
                        orders.push((i, Order::Align(goal), pictures[k].1));
                    }
                }
                _ => {}
            }
            for (i, order, picture_age) in orders {
                let delay = self.trees.depth[i as usize] * self.hop_delay_at(i as usize);
                self.pending.entry(tick + delay as u64).or_default().push(Directive {
                    tree: i,
                    kind: iv.kind,
                    order,
                    delay,
                    signal_age: picture_age + delay,
                });
            }
        }
    }

    /// Orders reach their trees: each costs attention there and at the manager who relays it,
    /// and is judged coherent or not against what the tree sees locally.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    fn deliver_orders(&mut self, experience: &mut [Experience]) {
        let tick = self.tick;
        self.trees.mandated.iter_mut().for_each(|m| *m = 0.0);
        let due = self.pending.remove(&tick).unwrap_or_default();
        // Gives land before receipts so a pool filled this tick can pay out this tick.
        let (gives, rest): (Vec<_>, Vec<_>) = due.into_iter().partition(|d| matches!(d.order, Order::Give(_)));
        for d in gives.into_iter().chain(rest) {
            let i = d.tree as usize;
            if !self.trees.alive[i] {
                continue;
            }
            let p = &self.params;
            let t = &mut self.trees;
            let trust = t.trust[i];
            t.pending_load[i] += p.directive_load * (2.0 - trust);
            if t.parent[i] != NONE {
                t.pending_load[t.parent[i] as usize] += 0.1 * p.directive_load;
            }
            // What the tree itself believes about its usefulness against its neighbours.
            let own = t.yield_[i];
            let around = t.signal[i].max(own);
            let relative = (own - around) / (around + EPS); // ≤ 0; 0 means "I am the most useful here".
            // An order that reverses the last one this tree got is hard to anticipate.
            let direction = match d.order {
                Order::Give(_) => -1,
                Order::Receive(_) => 1,
                _ => 0,
            };
            let reversal = direction != 0 && t.last_order[i] == -direction;
            if direction != 0 {
                t.last_order[i] = direction;
            }
            let agreement = match d.order {
                Order::Give(frac) => {
                    // Leadership takes a share of what the tree holds beyond its reserve.
                    let amount = frac * (t.energy[i] - self.params.reserve * t.biomass[i]).max(0.0);
                    t.energy[i] -= amount;
                    t.mandated[i] -= amount;
                    self.pool += amount;
                    (-relative * 2.0).clamp(0.0, 1.0)
                }
                Order::Receive(amount) => {
                    // A tree cannot take in more than it can hold; the rest stays in the pool.
                    let room = (self.params.storage * t.biomass[i] - t.energy[i]).max(0.0);
                    let amount = amount.min(self.pool).min(room);
                    t.energy[i] += amount;
                    t.mandated[i] += amount;
                    self.pool -= amount;
                    (1.0 + relative * 2.0).clamp(0.0, 1.0)
                }
                Order::Target { level, pressure } => {
                    t.target_level[i] = level;
                    t.target_pressure[i] = pressure;
                    t.target_yield[i] = own;
                    (2.0 * t.value_real[i] / (level + EPS) - 1.0).clamp(0.0, 1.0)
                }
                Order::Push(s) => {
                    t.push[i] = s;
                    let utilization = t.attention_load[i] / (t.attention_capacity[i] + EPS);
                    (1.0 - 2.0 * (utilization - 0.6)).clamp(0.0, 1.0)
                }
                Order::Align(goal) => {
                    t.align_goal[i] = goal;
                    let wanted = (goal - t.x[i]).signum();
                    if wanted == t.lean[i].signum() || t.lean[i] == 0.0 { 1.0 } else { 0.0 }
                }
            };
            let agreement = if reversal { 0.25 * agreement } else { agreement };
            let clarity = t.clarity[i];
            experience[i].imposed(1.0, clarity + (1.0 - clarity) * agreement);
            if matches!(d.order, Order::Give(_) | Order::Receive(_)) {
                let w = 1.0 / (1.0 + t.decision_age[i]);
                t.decision_age[i] = d.signal_age as f64 * w + t.decision_age[i] * (1.0 - w);
            }
            self.record_cause(
                d.tree,
                Cause { tick, kind: d.kind, route: CauseRoute::Directive, from: NONE, delay: d.delay },
            );
        }
        // What no order is still waiting for goes back to everyone, evenly.
        if self.pending.is_empty() && self.pool > 0.0 {
            let alive: Vec<usize> = (0..self.team_count()).filter(|&i| self.trees.alive[i]).collect();
            if !alive.is_empty() {
                let share = self.pool / alive.len() as f64;
                for &i in &alive {
                    self.trees.energy[i] += share;
                    self.trees.mandated[i] += share;
                }
                self.pool = 0.0;
            }
        }
    }

    /// Light where each tree reaches.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    pub(super) fn measure_light(&mut self) {
        let t = &mut self.trees;
        let n = t.x.len();
        let reach = self.params.reach;
        let (x, lean) = (&t.x[..n], &t.lean[..n]);
        let looking_at = &mut self.scratch.looking_at;
        looking_at.clear();
        looking_at.extend((0..n).map(|i| x[i] + reach * lean[i]));
        self.light.fill(looking_at, &mut t.light[..n]);
    }

    /// Law 5: attention is limited. Load from work, reports, orders, targets and alignment
    /// meetings; overload raises stress and burns capacity, stress fades with room to breathe.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    fn attention_and_stress(&mut self) {
        self.links.refresh_degree(self.team_count());
        let degree = &self.links.degree[..self.team_count()];
        let p = &self.params;
        let c = &self.conditions;
        let t = &mut self.trees;
        let n = t.x.len();
        attention_kernel(
            p,
            AttentionIn {
                alive: &t.alive[..n],
                biomass: &t.biomass[..n],
                children: &t.children[..n],
                energy: &t.energy[..n],
                push: &t.push[..n],
                size: &t.size[..n],
                target_pressure: &t.target_pressure[..n],
                yield_: &t.yield_[..n],
                align_cover: &c.align_cover[..n],
                direct: &c.direct[..n],
                open: &c.open[..n],
                slack: &c.slack[..n],
                soil: &c.soil[..n],
                degree,
            },
            &mut t.attention_capacity[..n],
            &mut t.attention_load[..n],
            &mut t.pending_load[..n],
            &mut t.planned_effort[..n],
            &mut t.stress[..n],
        );
    }

    /// Laws 1–3: effort turns light into value. Overloaded trees drop work (it falls as litter);
    /// trees under a target move effort to what is measured and, under pressure, inflate reports.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    fn produce(&mut self, ledger: &mut Ledger) {
        let p = &self.params;
        let c = &self.conditions;
        let t = &mut self.trees;
        let ambient = self.light.config.ambient;
        let n = t.x.len();
        let alive = &t.alive[..n];
        let attention_capacity = &t.attention_capacity[..n];
        let attention_load = &t.attention_load[..n];
        let biomass = &mut t.biomass[..n];
        let clarity = &t.clarity[..n];
        let energy = &mut t.energy[..n];
        let light = &t.light[..n];
        let litter = &mut t.litter[..n];
        let litterfall = &mut t.litterfall[..n];
        let nutrients = &t.nutrients[..n];
        let planned_effort = &t.planned_effort[..n];
        let size = &t.size[..n];
        let stress = &t.stress[..n];
        let target_level = &t.target_level[..n];
        let target_pressure = &t.target_pressure[..n];
        let target_yield = &t.target_yield[..n];
        let value_real = &mut t.value_real[..n];
        let value_reported = &mut t.value_reported[..n];
        let yield_ = &mut t.yield_[..n];
        let drought = &c.drought[..n];
        for i in 0..n {
            if !alive[i] {
                value_real[i] = 0.0;
                value_reported[i] = 0.0;
                yield_[i] = 0.0;
                continue;
            }
            let b = biomass[i];
            let conditions_factor = nutrients[i]
                / (nutrients[i] + p.nutrient_half * size[i] + EPS)
                / (1.0 + litter[i] / (p.smother * size[i]))
                / (1.0 + b / (p.half_saturation * size[i] + EPS))
                * (1.0 - 0.6 * drought[i])
                * p.productivity;
            let y = light[i] * conditions_factor;
            yield_[i] = y;
            let wanted = planned_effort[i];
            // A tree short of energy draws on its own wood to keep working (internal: biomass to energy).
            let mobilized = (wanted - energy[i]).max(0.0).min(p.mobilization * b);
            biomass[i] -= mobilized;
            energy[i] += mobilized;
            let effort = wanted.min(energy[i].max(0.0));
            let utilization = attention_load[i] / (attention_capacity[i] + EPS);
            let overload = (utilization - 1.0).max(0.0);
            let dropped = effort * overload / (1.0 + overload);
            let done = effort - dropped;
            let proxy_share = 0.5 * target_pressure[i];
            let real = done * (1.0 - proxy_share) * y + done * proxy_share * ambient * conditions_factor;
            let mut reported = real;
            if target_pressure[i] > 0.0 {
                let pressure = target_pressure[i];
                // Proxy work counts as if the light were still where it was when the target was set.
                let proxy_reported = done * proxy_share * target_yield[i];
                reported = done * (1.0 - proxy_share) * y + proxy_reported;
                let gap = (target_level[i] - reported).max(0.0);
                reported += gap * pressure * (0.2 + 0.8 * stress[i]) * (1.0 - clarity[i]);
            }
            energy[i] += real - effort;
            litter[i] += dropped;
            litterfall[i] += dropped;
            value_real[i] = real;
            value_reported[i] = reported;
            ledger.production += real;
            ledger.work += done;
        }
    }

    /// Law 2: living costs energy; a tree that cannot pay burns biomass and sheds dead wood.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    fn maintain(&mut self, ledger: &mut Ledger) {
        let p = &self.params;
        let t = &mut self.trees;
        let n = t.x.len();
        let alive = &t.alive[..n];
        let biomass = &mut t.biomass[..n];
        let energy = &mut t.energy[..n];
        let litter = &mut t.litter[..n];
        let litterfall = &mut t.litterfall[..n];
        for i in 0..n {
            if !alive[i] {
                continue;
            }
            let cost = p.maintenance * biomass[i];
            let from_energy = cost.min(energy[i].max(0.0));
            energy[i] -= from_energy;
            let shortfall = (cost - from_energy).min(biomass[i]);
            biomass[i] -= shortfall;
            ledger.maintenance += from_energy + shortfall;
            // Leaves fall: a steady share of wood returns to the ground, carrying its nutrients.
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

    /// Law 4 and "feedback travels": each tree sends how useful it is (or, relayed, how useful a
    /// neighbour is) into its links; each link delivers it `delay` ticks later, blurred by the
    /// sender's stress and distrust and discounted by the link's trust.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    fn signal(&mut self) {
        let n = self.team_count();
        let m = self.links.len();
        let p = &self.params;
        let c = &self.conditions;
        let tick = self.tick;
        let t = &mut self.trees;
        let h = &self.history;
        let mut best_neighbour = std::mem::take(&mut self.scratch.best_neighbour);
        reset(&mut best_neighbour, n, 0.0);
        let mut gradient = std::mem::take(&mut self.scratch.gradient);
        reset(&mut gradient, n, 0.0);
        self.seen_at_a.resize(m, 0.0);
        self.seen_at_b.resize(m, 0.0);
        let mut link_trust = std::mem::take(&mut self.scratch.link_trust);
        reset(&mut link_trust, m, 0.0);
        // Plain slices keep every pointer and length in registers across the loops (through
        // `self` the compiler must reload them after each store).
        let (trust, yield_, x, light) = (&t.trust[..n], &t.yield_[..n], &t.x[..n], &t.light[..n]);
        {
            let links = &mut self.links;
            let (la, lb, delays) = (&links.a[..m], &links.b[..m], &links.delay[..m]);
            let effective_delay = &mut links.effective_delay[..m];
            let (seen_a, seen_b) = (&mut self.seen_at_a[..m], &mut self.seen_at_b[..m]);
            let link_trust = &mut link_trust[..m];
            let open = &c.open[..n];
            let (best, gradient) = (&mut best_neighbour[..n], &mut gradient[..n]);
            let (signal_hist, light_hist) = (&h.signal[..], &h.light[..]);
            for l in 0..m {
                let (a, b) = (la[l] as usize, lb[l] as usize);
                let open = max_of(open[a], open[b]);
                let delay = if open > 0.0 { shortened(delays[l], open) } else { delays[l] };
                effective_delay[l] = delay;
                let slot = h.slot_ago(tick, delay);
                let trust = 0.5 * (trust[a] + trust[b]);
                link_trust[l] = trust;
                let weight = 0.3 + 0.7 * trust;
                let at_a = yield_[a] + weight * (signal_hist[slot + b] as f64 - yield_[a]);
                let at_b = yield_[b] + weight * (signal_hist[slot + a] as f64 - yield_[b]);
                seen_a[l] = at_a;
                seen_b[l] = at_b;
                // Neighbours also tell each other how much light they see, as late as the link is slow.
                let side = if x[b] < x[a] { -1.0 } else { 1.0 };
                gradient[a] += side * (light_hist[slot + b] as f64 - light[a]);
                gradient[b] -= side * (light_hist[slot + a] as f64 - light[b]);
                best[a] = max_of(best[a], at_a);
                best[b] = max_of(best[b], at_b);
            }
        }
        let slot = h.slot(tick);
        let (signal_hist, reported_hist, light_hist) = (
            &mut self.history.signal[slot..slot + n],
            &mut self.history.reported[slot..slot + n],
            &mut self.history.light[slot..slot + n],
        );
        let (alive, stress, value_reported) = (&t.alive[..n], &t.stress[..n], &t.value_reported[..n]);
        let (direct, open) = (&c.direct[..n], &c.open[..n]);
        let best = &best_neighbour[..n];
        let signal = &mut t.signal[..n];
        let (relay, signal_noise) = (p.relay, p.signal_noise);
        for i in 0..n {
            if !alive[i] {
                signal[i] = 0.0;
                signal_hist[i] = 0.0;
                reported_hist[i] = 0.0;
                continue;
            }
            let relayed = yield_[i].max(relay * best[i]);
            signal[i] = relayed;
            let noise =
                if direct[i] { 0.0 } else { signal_noise * (1.0 - open[i]) * (0.5 * stress[i] + (1.0 - trust[i])) };
            signal_hist[i] = (relayed * (1.0 + noise * self.rng.signed())).max(0.0) as f32;
            reported_hist[i] = value_reported[i] as f32;
            light_hist[i] = light[i] as f32;
        }
        self.scratch.best_neighbour = best_neighbour;
        self.scratch.gradient = gradient;
        self.scratch.link_trust = link_trust;
    }

    /// "Energy goes where it's most useful": surplus flows along each link toward the end that
    /// looks more useful, as each end perceives it, limited by the link's capacity and trust.
    /// Links widen with use and trust and narrow when idle. Needs unanswered count as ignored feedback.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    fn share(&mut self, experience: &mut [Experience]) {
        let n = self.team_count();
        let m = self.links.len();
        let p = &self.params;
        let c = &self.conditions;
        let scratch = &mut self.scratch;
        reset(&mut scratch.wanted_out, n, 0.0);
        reset(&mut scratch.desire_ab, m, 0.0);
        reset(&mut scratch.desire_ba, m, 0.0);
        reset(&mut scratch.age_weighted, n, 0.0);
        // Inflow each receiver expected from its own view of the giver (it saw itself as more useful).
        reset(&mut scratch.expected_in, n, 0.0);
        scratch.inverse_signal.clear();
        scratch.inverse_signal.extend(self.trees.signal.iter().map(|s| 1.0 / (s + EPS)));
        // Plain slices and copied parameters keep every pointer and constant in registers across
        // the link loops (through `self` the compiler must reload them after each store).
        let (share_rate, reserve) = (p.share_rate, p.reserve);
        let (capacity_growth, capacity_decay, min_capacity) = (p.capacity_growth, p.capacity_decay, p.min_capacity);
        let (la, lb) = (&self.links.a[..m], &self.links.b[..m]);
        let (seen_a, seen_b) = (&self.seen_at_a[..m], &self.seen_at_b[..m]);
        let link_trust = &scratch.link_trust[..m];
        let signal = &self.trees.signal[..n];
        let align = &c.align_cover[..n];
        let inverse_signal = &scratch.inverse_signal[..n];
        {
            let capacity = &self.links.capacity[..m];
            let wanted_out = &mut scratch.wanted_out[..n];
            let (desire_ab, desire_ba) = (&mut scratch.desire_ab[..m], &mut scratch.desire_ba[..m]);
            for l in 0..m {
                let (a, b) = (la[l] as usize, lb[l] as usize);
                let trust = link_trust[l];
                let damped = 1.0 - 0.7 * max_of(align[a], align[b]);
                let capacity = capacity[l] * (0.25 + 0.75 * trust) * damped;
                let a_to_b = share_rate * capacity * max_of((seen_a[l] - signal[a]) * inverse_signal[a], 0.0);
                let b_to_a = share_rate * capacity * max_of((seen_b[l] - signal[b]) * inverse_signal[b], 0.0);
                let a_to_b = min_of(a_to_b, capacity);
                let b_to_a = min_of(b_to_a, capacity);
                desire_ab[l] = a_to_b;
                desire_ba[l] = b_to_a;
                wanted_out[a] += a_to_b;
                wanted_out[b] += b_to_a;
            }
        }
        let t = &mut self.trees;
        scratch.scale.clear();
        scratch.scale.extend((0..n).map(|i| {
            let surplus = (t.energy[i] - reserve * t.biomass[i]).max(0.0);
            let wanted = scratch.wanted_out[i];
            if wanted > surplus { surplus / wanted } else { 1.0 }
        }));
        t.inflow.iter_mut().for_each(|v| *v = 0.0);
        t.outflow.iter_mut().for_each(|v| *v = 0.0);
        {
            let (energy, inflow, outflow) = (&mut t.energy[..n], &mut t.inflow[..n], &mut t.outflow[..n]);
            let signal = &t.signal[..n];
            let scale = &scratch.scale[..n];
            let (desire_ab, desire_ba) = (&scratch.desire_ab[..m], &scratch.desire_ba[..m]);
            let (age_weighted, expected_in) = (&mut scratch.age_weighted[..n], &mut scratch.expected_in[..n]);
            let effective_delay = &self.links.effective_delay[..m];
            let (flow, capacity) = (&mut self.links.flow[..m], &mut self.links.capacity[..m]);
            for l in 0..m {
                let (a, b) = (la[l] as usize, lb[l] as usize);
                let (ab, ba) = (desire_ab[l] * scale[a], desire_ba[l] * scale[b]);
                expected_in[b] += ab * indicator(seen_b[l] < signal[b]);
                expected_in[a] += ba * indicator(seen_a[l] < signal[a]);
                energy[a] += ba - ab;
                energy[b] += ab - ba;
                outflow[a] += ab;
                outflow[b] += ba;
                inflow[b] += ab;
                inflow[a] += ba;
                let delay = effective_delay[l] as f64;
                age_weighted[b] += ab * delay;
                age_weighted[a] += ba * delay;
                flow[l] = ab - ba;
                let trust = link_trust[l];
                let used = (ab + ba) * trust;
                capacity[l] += capacity_growth * used - capacity_decay * (capacity[l] - min_capacity);
                capacity[l] = max_of(capacity[l], min_capacity);
            }
        }
        let (age_weighted, expected_in) = (&scratch.age_weighted[..n], &scratch.expected_in[..n]);
        let experience = &mut experience[..n];
        let (reserve, relay, patience) = (p.reserve, p.relay, p.patience);
        let alive = &t.alive[..n];
        let biomass = &t.biomass[..n];
        let clarity = &t.clarity[..n];
        let decision_age = &mut t.decision_age[..n];
        let energy = &t.energy[..n];
        let inflow = &t.inflow[..n];
        let mandated = &t.mandated[..n];
        let signal = &t.signal[..n];
        let unanswered = &mut t.unanswered[..n];
        let yield_ = &t.yield_[..n];
        for i in 0..n {
            if !alive[i] {
                continue;
            }
            if inflow[i] > EPS {
                let w = inflow[i] / (inflow[i] + biomass[i] * 0.1 + EPS);
                decision_age[i] = w * age_weighted[i] / inflow[i] + (1.0 - w) * decision_age[i];
            }
            // Peers' sharing decisions are predictable when they match what the receiver saw itself.
            if inflow[i] > EPS {
                let agreement = expected_in[i] / inflow[i];
                let weight = 0.2 * (inflow[i] / (0.02 * biomass[i] + EPS)).min(1.0);
                experience[i].add(weight, clarity[i] + (1.0 - clarity[i]) * agreement);
            }
            // Feedback answered or ignored: a tree short of energy that asks and gets help trusts more.
            // Only a tree that is among the most useful around it has a claim that can be ignored.
            let in_need = energy[i] < reserve * biomass[i] && yield_[i] >= relay * signal[i];
            let helped = inflow[i] > EPS || mandated[i] > EPS;
            if in_need && helped {
                experience[i].add(0.1, 1.0);
                unanswered[i] = 0;
            } else if in_need {
                unanswered[i] += 1;
                if unanswered[i] > patience {
                    // Clear values make even an unanswered call understandable.
                    experience[i].add(0.1, 0.5 * clarity[i]);
                }
            } else {
                unanswered[i] = 0;
            }
        }
    }

    /// Trees lean toward where they perceive light: through neighbours' signals, directly when
    /// the light is let in, or toward where leadership says it is when alignment is enforced.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    fn lean(&mut self) {
        let n = self.team_count();
        let p = &self.params;
        let c = &self.conditions;
        let step = 0.25 * p.reach.max(0.001);
        let gradient = &self.scratch.gradient[..n];
        let t = &mut self.trees;
        let (alive, x, light, align_goal) = (&t.alive[..n], &t.x[..n], &t.light[..n], &t.align_goal[..n]);
        let lean = &mut t.lean[..n];
        let (direct, align_cover, slack) = (&c.direct[..n], &c.align_cover[..n], &c.slack[..n]);
        for i in 0..n {
            if !alive[i] {
                continue;
            }
            let own = if direct[i] {
                let x = x[i] + p.reach * lean[i];
                (self.light.at(x + step) - self.light.at(x - step)) / (self.light.at(x) + EPS) * 10.0
            } else {
                gradient[i] / (light[i] + EPS) * 2.0
            };
            let mut goal = own.clamp(-1.0, 1.0);
            let align = align_cover[i];
            if align > 0.0 && !align_goal[i].is_nan() {
                let ordered = ((align_goal[i] - x[i]) / (p.reach + EPS)).clamp(-1.0, 1.0);
                goal = align * ordered + (1.0 - align) * goal;
            }
            let rate = p.lean_rate * (1.0 + slack[i]);
            lean[i] += rate * (goal - lean[i]);
        }
    }

    /// Surplus energy and nutrients become biomass; energy beyond what a tree can hold spoils.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    fn grow_and_spoil(&mut self) {
        let p = &self.params;
        let t = &mut self.trees;
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
        for i in 0..n {
            if !alive[i] {
                continue;
            }
            let surplus = (energy[i] - p.reserve * biomass[i]).max(0.0);
            // A tree invests in wood only while more wood would pay for itself.
            let break_even = 1.0 + p.maintenance / p.effort.max(EPS);
            let payoff = ((yield_[i] - break_even) / break_even).clamp(0.0, 1.0);
            let mut growth = p.growth_rate * surplus * payoff;
            if p.nutrient_per_growth > 0.0 {
                growth = growth.min(nutrients_now[i].max(0.0) / p.nutrient_per_growth);
            }
            let nutrients = growth * p.nutrient_per_growth;
            energy[i] -= growth;
            nutrients_now[i] -= nutrients;
            biomass[i] += growth + nutrients;
            // Seedlings: where light falls on nutrient-rich soil, new wood sprouts without effort.
            let soil = nutrients_now[i] / (nutrients_now[i] + p.nutrient_half * size[i] + EPS);
            let sprout = (p.sprouting * light[i] * soil * size[i]).min(nutrients_now[i].max(0.0));
            nutrients_now[i] -= sprout;
            biomass[i] += sprout;
            let spoiled = (energy[i] - p.storage * biomass[i]).max(0.0);
            energy[i] -= spoiled;
            litter[i] += spoiled;
            litterfall[i] += spoiled;
        }
    }

    /// "Waste gets reused": the soil turns litter into nutrients at its rate; the rest is lost.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    fn recycle(&mut self, ledger: &mut Ledger) {
        let p = &self.params;
        let c = &self.conditions;
        let t = &mut self.trees;
        let n = t.x.len();
        let litter = &mut t.litter[..n];
        let litterfall = &t.litterfall[..n];
        let nutrients = &mut t.nutrients[..n];
        let soil = &c.soil[..n];
        let mut fall = 0.0;
        let mut recycled = 0.0;
        for i in 0..n {
            let rate = (p.soil_rate * (1.0 + 3.0 * soil[i])).min(1.0);
            let decomposed = rate * litter[i];
            litter[i] -= decomposed;
            let kept = decomposed * p.recycling_efficiency;
            nutrients[i] += kept;
            ledger.decomposition_loss += decomposed - kept;
            // Nutrients nobody takes up slowly wash out of the soil.
            let leached = p.leaching * nutrients[i].max(0.0);
            nutrients[i] -= leached;
            ledger.leaching += leached;
            recycled += decomposed;
            fall += litterfall[i];
        }
        const AVERAGING: f64 = 0.05;
        self.litterfall_avg += AVERAGING * (fall - self.litterfall_avg);
        self.recycled_avg += AVERAGING * (recycled - self.recycled_avg);
    }

    /// Pests eat biomass into litter and spread along links while their shock lasts.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    fn spread_pests(&mut self) {
        let tick = self.tick;
        let t = &mut self.trees;
        if !t.infected.iter().any(|&left| left > 0) {
            return;
        }
        let mut newly = Vec::new();
        for l in 0..self.links.len() {
            let (a, b) = (self.links.a[l] as usize, self.links.b[l] as usize);
            for (from, to) in [(a, b), (b, a)] {
                if t.infected[from] > 1 && t.infected[to] == 0 && t.alive[to] {
                    let chance = 0.02 * t.pest_strength[from];
                    if self.rng.unit() < chance {
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
            if self.trees.infected[to] == 0 {
                self.trees.infected[to] = left;
                self.trees.pest_strength[to] = strength;
                self.record_cause(
                    to as u32,
                    Cause {
                        tick,
                        kind: InterventionKind::Pest,
                        route: CauseRoute::Spread,
                        from: from as u32,
                        delay: 1,
                    },
                );
            }
        }
    }

    /// "Trust grows from coherence": trust rises with predictable experience and falls with
    /// unpredictable experience; clarity of values makes decisions predictable, and moves slowly.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    fn update_trust(&mut self, experience: &[Experience]) {
        let p = &self.params;
        let c = &self.conditions;
        let t = &mut self.trees;
        let n = t.x.len();
        let alive = &t.alive[..n];
        let clarity = &mut t.clarity[..n];
        let trust = &mut t.trust[..n];
        let clarify = &c.clarify[..n];
        for i in 0..n {
            let goal = p.values_clarity + clarify[i] * (1.0 - p.values_clarity);
            clarity[i] += 0.02 * (goal - clarity[i]);
            if !alive[i] {
                continue;
            }
            let e = experience[i];
            let tr = trust[i];
            trust[i] = (tr + p.trust_rate * (e.coherent * (1.0 - tr) - e.incoherent * tr)).clamp(0.0, 1.0);
        }
    }

    /// Metrics of the current state; alignment compares resources with the light itself.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    pub(super) fn measure(&self, ledger: Ledger) -> Metrics {
        let t = &self.trees;
        let n = t.x.len();
        let alive = &t.alive[..n];
        let attention_capacity = &t.attention_capacity[..n];
        let attention_load = &t.attention_load[..n];
        let biomass = &t.biomass[..n];
        let decision_age = &t.decision_age[..n];
        let energy = &t.energy[..n];
        let light = &t.light[..n];
        let litter = &t.litter[..n];
        let nutrients = &t.nutrients[..n];
        let stress = &t.stress[..n];
        let trust = &t.trust[..n];
        let value_real = &t.value_real[..n];
        let value_reported = &t.value_reported[..n];
        // One pass for the sums, a second for what needs their totals (alignment, inequality).
        #[derive(Default)]
        struct Sums {
            count: usize,
            resources: f64,
            light: f64,
            overloaded: usize,
            vitality: f64,
            trust: f64,
            decision_age: f64,
            stress: f64,
            biomass_alive: f64,
        }
        let mut s = Sums::default();
        let (
            mut total_real,
            mut total_reported,
            mut total_litter,
            mut total_biomass,
            mut total_energy,
            mut total_nutrients,
        ) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        for i in 0..n {
            total_real += value_real[i];
            total_reported += value_reported[i];
            total_litter += litter[i];
            total_biomass += biomass[i];
            total_energy += energy[i];
            total_nutrients += nutrients[i];
            if !alive[i] {
                continue;
            }
            s.count += 1;
            s.resources += biomass[i] + energy[i].max(0.0);
            s.light += light[i];
            s.overloaded += (attention_load[i] > attention_capacity[i]) as usize;
            s.vitality += biomass[i] * (1.0 - 0.5 * stress[i]);
            s.trust += trust[i];
            s.decision_age += decision_age[i];
            s.stress += stress[i];
            s.biomass_alive += biomass[i];
        }
        let mut overlap = 0.0;
        let mut deviation = 0.0;
        let mean_biomass = if s.count > 0 { s.biomass_alive / s.count as f64 } else { 0.0 };
        for i in 0..n {
            if !alive[i] {
                continue;
            }
            if s.resources > 0.0 && s.light > 0.0 {
                overlap += ((biomass[i] + energy[i].max(0.0)) / s.resources).min(light[i] / s.light);
            }
            deviation += (biomass[i] - mean_biomass).abs();
        }
        let per = |sum: f64| if s.count > 0 { sum / s.count as f64 } else { 0.0 };
        Metrics {
            tick: self.tick,
            vitality: s.vitality / self.initial_biomass.max(EPS),
            value_real: total_real,
            value_reported: total_reported,
            litter: total_litter,
            recycled_share: if self.litterfall_avg > EPS {
                (self.recycled_avg / self.litterfall_avg).min(1.0)
            } else {
                1.0
            },
            trust: per(s.trust),
            alignment: overlap,
            feedback_delay: per(s.decision_age),
            overload_share: per(s.overloaded as f64),
            inequality: if s.biomass_alive > 0.0 { deviation / (2.0 * s.biomass_alive) } else { 0.0 },
            biomass: total_biomass,
            energy: total_energy + self.pool,
            nutrients: total_nutrients,
            stress: per(s.stress),
            alive: s.count as u32,
            ledger_residual: ledger.residual(),
        }
    }

    /// Command: rewire links and reporting lines among the chosen trees at random, ignoring
    /// where flow actually runs. Costs attention; judged by how much working flow it cut.
    fn reorganize(&mut self, on: &Selection, strength: f64, experience: &mut [Experience]) {
        let tick = self.tick;
        let chosen = self.selected(on);
        if chosen.len() < 2 {
            return;
        }
        let member: HashSet<u32> = chosen.iter().copied().collect();
        let mut flow_total = vec![0.0f64; self.team_count()];
        let mut flow_cut = vec![0.0f64; self.team_count()];
        for l in 0..self.links.len() {
            let f = self.links.flow[l].abs();
            flow_total[self.links.a[l] as usize] += f;
            flow_total[self.links.b[l] as usize] += f;
        }
        let mut pairs: HashSet<(u32, u32)> =
            (0..self.links.len()).map(|l| ordered(self.links.a[l], self.links.b[l])).collect();
        let mut cut = 0usize;
        let mut l = 0;
        while l < self.links.len() {
            let (a, b) = (self.links.a[l], self.links.b[l]);
            if member.contains(&a) && member.contains(&b) && self.rng.unit() < strength {
                let f = self.links.flow[l].abs();
                flow_cut[a as usize] += f;
                flow_cut[b as usize] += f;
                pairs.remove(&ordered(a, b));
                self.links.swap_remove(l);
                cut += 1;
            } else {
                l += 1;
            }
        }
        let mut added = 0;
        let mut tries = 0;
        while added < cut && tries < cut * 20 {
            tries += 1;
            let a = chosen[self.rng.index(chosen.len())];
            let b = chosen[self.rng.index(chosen.len())];
            if a != b && pairs.insert(ordered(a, b)) {
                self.links.push(a, b, self.params.new_link_delay, self.params.min_capacity);
                added += 1;
            }
        }
        let depth = self.trees.depth.clone();
        for &i in &chosen {
            let i = i as usize;
            if self.trees.parent[i] == NONE || self.rng.unit() >= strength {
                continue;
            }
            // A new manager from higher up keeps the reporting lines free of cycles.
            for _ in 0..8 {
                let m = chosen[self.rng.index(chosen.len())] as usize;
                if depth[m] < depth[i] && m != self.trees.parent[i] as usize {
                    self.trees.parent[i] = m as u32;
                    flow_cut[i] += 0.5 * flow_total[i].max(EPS);
                    break;
                }
            }
        }
        self.recompute_hierarchy();
        for &i in &chosen {
            let i = i as usize;
            self.trees.pending_load[i] += self.params.reorg_load;
            let agreement = 1.0 - (flow_cut[i] / (flow_total[i] + EPS)).min(1.0);
            let clarity = self.trees.clarity[i];
            experience[i].imposed(2.0, clarity + (1.0 - clarity) * agreement * 0.5);
            self.record_cause(
                i as u32,
                Cause {
                    tick,
                    kind: InterventionKind::Reorganize,
                    route: CauseRoute::Reorganized,
                    from: NONE,
                    delay: 0,
                },
            );
        }
    }

    /// Command: remove the share `strength` of chosen trees with the lowest output in
    /// leadership's picture. Their wood falls as litter, their energy goes to the pool, their
    /// reports move up to their manager. Neighbours judge the cut by what they saw of the tree.
    fn cut_weakest(&mut self, on: &Selection, strength: f64, experience: &mut [Experience]) {
        let tick = self.tick;
        let chosen: Vec<u32> =
            self.selected(on).into_iter().filter(|&i| self.trees.parent[i as usize] != NONE).collect();
        let count = (strength * chosen.len() as f64).floor() as usize;
        if count == 0 {
            return;
        }
        let mean = chosen.iter().map(|&i| self.trees.value_reported[i as usize]).sum::<f64>() / chosen.len() as f64;
        let mut ranked: Vec<(f64, u32)> = chosen.iter().map(|&i| (self.picture(i as usize, mean).0, i)).collect();
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for &(_, i) in ranked.iter().take(count) {
            let iu = i as usize;
            let neighbours: Vec<u32> = (0..self.links.len())
                .filter_map(|l| {
                    if self.links.a[l] == i {
                        Some(self.links.b[l])
                    } else if self.links.b[l] == i {
                        Some(self.links.a[l])
                    } else {
                        None
                    }
                })
                .collect();
            let t = &mut self.trees;
            t.alive[iu] = false;
            t.litter[iu] += t.biomass[iu];
            t.litterfall[iu] += t.biomass[iu];
            t.biomass[iu] = 0.0;
            self.pool += t.energy[iu];
            t.energy[iu] = 0.0;
            let grandparent = t.parent[iu];
            for p in t.parent.iter_mut() {
                if *p == i {
                    *p = grandparent;
                }
            }
            self.cut_links_of(i);
            let cut_usefulness = self.trees.yield_[iu];
            for j in neighbours {
                let ju = j as usize;
                let own = self.trees.yield_[ju];
                let agreement = (1.0 - (cut_usefulness - 0.5 * own) / (own + EPS)).clamp(0.0, 1.0);
                let clarity = self.trees.clarity[ju];
                experience[ju].imposed(1.0, clarity + (1.0 - clarity) * agreement);
                self.trees.pending_load[ju] += self.params.directive_load;
                self.record_cause(
                    j,
                    Cause {
                        tick,
                        kind: InterventionKind::CutWeakest,
                        route: CauseRoute::NeighbourCut,
                        from: i,
                        delay: 0,
                    },
                );
            }
        }
        self.recompute_hierarchy();
    }

    /// Condition: new links between chosen trees and their nearest chosen neighbours.
    fn grow_connections(&mut self, on: &Selection, strength: f64) {
        let tick = self.tick;
        let mut chosen = self.selected(on);
        if chosen.len() < 2 {
            return;
        }
        chosen.sort_by(|&a, &b| self.trees.x[a as usize].total_cmp(&self.trees.x[b as usize]).then(a.cmp(&b)));
        let mut degree = vec![0u32; self.team_count()];
        let mut pairs: HashSet<(u32, u32)> = HashSet::new();
        for l in 0..self.links.len() {
            degree[self.links.a[l] as usize] += 1;
            degree[self.links.b[l] as usize] += 1;
            pairs.insert(ordered(self.links.a[l], self.links.b[l]));
        }
        let wanted = (strength * chosen.len() as f64).ceil() as usize;
        let mut added = 0;
        'outer: for gap in 1..chosen.len().min(8) {
            for k in 0..chosen.len() - gap {
                if added >= wanted {
                    break 'outer;
                }
                let (a, b) = (chosen[k], chosen[k + gap]);
                if degree[a as usize] >= 12 || degree[b as usize] >= 12 || !pairs.insert(ordered(a, b)) {
                    continue;
                }
                self.links.push(a, b, self.params.new_link_delay, self.params.min_capacity);
                degree[a as usize] += 1;
                degree[b as usize] += 1;
                added += 1;
                for (i, j) in [(a, b), (b, a)] {
                    self.record_cause(
                        i,
                        Cause {
                            tick,
                            kind: InterventionKind::GrowConnections,
                            route: CauseRoute::Condition,
                            from: j,
                            delay: 0,
                        },
                    );
                }
            }
        }
    }

    /// Shock: each chosen tree is struck with chance `strength`, losing wood to litter; links break.
    fn storm(&mut self, on: &Selection, strength: f64) {
        let tick = self.tick;
        for i in self.selected(on) {
            let iu = i as usize;
            if self.rng.unit() >= strength {
                continue;
            }
            let loss = (0.3 + 0.3 * self.rng.unit()) * self.trees.biomass[iu];
            self.trees.biomass[iu] -= loss;
            self.trees.litter[iu] += loss;
            self.trees.litterfall[iu] += loss;
            self.record_cause(
                i,
                Cause { tick, kind: InterventionKind::Storm, route: CauseRoute::Shock, from: NONE, delay: 0 },
            );
        }
        let mut l = 0;
        while l < self.links.len() {
            if self.rng.unit() < 0.5 * strength * 0.3 {
                self.links.swap_remove(l);
            } else {
                l += 1;
            }
        }
    }
}

/// A delay shortened by open feedback (`open` 0 to 1 cuts up to three quarters), at least 1.
pub fn shortened(delay: u32, open: f64) -> u32 {
    let d = (delay as f64 * (1.0 - 0.75 * open) + 0.5).floor() as u32;
    d.max(1)
}

/// Clears a reusable buffer and fills it with `n` copies of `value`.
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

/// 1 when `condition` holds, else 0: multiplying by it adds a term or nothing, bit for bit the
/// same as a branch on it, without a branch the CPU cannot predict.
#[inline(always)]
fn indicator(condition: bool) -> f64 {
    condition as u8 as f64
}

fn reset<T: Clone>(buffer: &mut Vec<T>, n: usize, value: T) {
    buffer.clear();
    buffer.resize(n, value);
}

fn ordered(a: u32, b: u32) -> (u32, u32) {
    if a < b { (a, b) } else { (b, a) }
}

// Per-tree kernels. A mechanism's loop over trees handles four or eight trees per instruction
// (in the AVX2 and AVX-512 variants of a tick) only when the compiler can prove two things: that
// no index is out of bounds (every slice is cut to the same length first) and that no output
// overlaps another array. The second needs each output to be its own `&mut` argument of a
// function: slices taken from fields of `self` inside one function carry no such promise, and
// the run-time overlap checks the compiler would need are too many. Inputs may share a struct.

/// Read-only inputs of [`attention_kernel`].
struct AttentionIn<'a> {
    alive: &'a [bool],
    biomass: &'a [f64],
    children: &'a [u32],
    energy: &'a [f64],
    push: &'a [f64],
    size: &'a [f64],
    target_pressure: &'a [f64],
    yield_: &'a [f64],
    align_cover: &'a [f64],
    direct: &'a [bool],
    open: &'a [f64],
    slack: &'a [f64],
    soil: &'a [f64],
    degree: &'a [u32],
}

/// The per-tree loop of `attention_and_stress` (see "Per-tree kernels" above).
#[inline(always)]
fn attention_kernel(
    p: &super::params::Params,
    inp: AttentionIn,
    attention_capacity: &mut [f64],
    attention_load: &mut [f64],
    pending_load: &mut [f64],
    planned_effort: &mut [f64],
    stress: &mut [f64],
) {
    let AttentionIn {
        alive,
        biomass,
        children,
        energy,
        push,
        size,
        target_pressure,
        yield_,
        align_cover,
        direct,
        open,
        slack,
        soil,
        degree,
    } = inp;
    let n = alive.len();
    let (biomass, children, energy, push, size, target_pressure, yield_) =
        (&biomass[..n], &children[..n], &energy[..n], &push[..n], &size[..n], &target_pressure[..n], &yield_[..n]);
    let (align_cover, direct, open, slack, soil, degree) =
        (&align_cover[..n], &direct[..n], &open[..n], &slack[..n], &soil[..n], &degree[..n]);
    let (attention_capacity, attention_load, pending_load, planned_effort, stress) = (
        &mut attention_capacity[..n],
        &mut attention_load[..n],
        &mut pending_load[..n],
        &mut planned_effort[..n],
        &mut stress[..n],
    );
    for i in 0..n {
        if !alive[i] {
            continue;
        }
        let capacity = size[i] * p.attention_per_person * (1.0 - 0.2 * stress[i]);
        attention_capacity[i] = capacity;
        let people = size[i] * p.attention_per_person;
        let effort_mult = (1.0 + push[i]) * (1.0 - 0.3 * slack[i]);
        let reports = p.report_load * children[i] as f64;
        // Commands cost attention (monitoring targets, alignment meetings); so do conditions:
        // retrospectives that feed the soil, time with the light, more signals, more links.
        let monitoring = people * 0.1 * (target_pressure[i] + align_cover[i]);
        let tending = people * (0.08 * soil[i] + 0.05 * open[i] + if direct[i] { 0.05 } else { 0.0 });
        let links = p.link_load * degree[i] as f64;
        let other = reports + monitoring + tending + links + pending_load[i];
        // Routine work is the demanded share of biomass. A tree spends spare budget on extra
        // work only where its last return paid for it and only into attention it has free.
        let routine_load = p.work_load * people * effort_mult;
        let room = ((0.9 * capacity - other - routine_load) / (routine_load + EPS)).clamp(0.0, 1.0);
        let routine = p.effort * biomass[i];
        let surplus = (energy[i] - p.reserve * biomass[i]).max(0.0);
        let extra = if yield_[i] > 1.0 { (p.spending * surplus).min(routine * room) } else { 0.0 };
        planned_effort[i] = (routine + extra) * effort_mult;
        let work = routine_load * (routine + extra) / (routine + EPS);
        let load = work + other;
        pending_load[i] *= p.load_persistence;
        attention_load[i] = load;
        let utilization = load / (capacity + EPS);
        let overload = (utilization - 1.0).max(0.0);
        let s = stress[i];
        let rise = p.stress_rise * overload * (1.0 - s);
        let fall = if overload > 0.0 { 0.0 } else { p.stress_recovery * (1.0 + slack[i]) * s };
        stress[i] = (s + rise - fall).clamp(0.0, 1.0);
    }
}
