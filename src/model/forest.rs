//! The forest's state: trees (teams) and links as plain arrays, the hierarchy, the practices
//! each tree holds, the decisions on their way down the hierarchy, and what is remembered so
//! that information can arrive late. No mechanism lives here (see `tick/`); building a forest
//! is `build.rs`.

use std::collections::{BTreeMap, VecDeque};

use super::delays::{History, LinkHistory, ReportLines};
use super::intervention::{Active, Intervention, InterventionKind, Practice, Selection};
use super::light::Light;
use super::metrics::{Ledger, Metrics};
use super::params::Params;
use super::rng::ModelRng;

/// "No tree": the parent of a root, the source of a cause from leadership or the weather.
pub const NONE: u32 = u32::MAX;

/// How a cause reached a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CauseRoute {
    /// A command that came down the hierarchy.
    Directive,
    /// A condition that came down the hierarchy and began to take hold.
    Condition,
    /// A shock that struck here.
    Shock,
    /// Spread from a neighbour along a link (pests).
    Spread,
    /// Links or reporting lines changed by a reorganization.
    Reorganized,
    /// People moved to or from this team by a reorganization.
    PeopleMoved,
    /// People moved to or from this team on their own (`mobility`), along a link.
    PeopleDrifted,
    /// A neighbour was cut.
    NeighbourCut,
}

/// Something that reached a tree: the inspector's "why".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cause {
    pub tick: u64,
    /// The intervention it came of, if any (people moving on their own come of none).
    pub kind: Option<InterventionKind>,
    pub route: CauseRoute,
    /// The tree it came from, or `NONE` for leadership or the environment.
    pub from: u32,
    /// Ticks between its issue and its arrival.
    pub delay: u32,
}

/// Causes kept per tree.
pub const CAUSES_KEPT: usize = 8;

/// Each tree's standing practices: the level it works at now, and what the latest decision
/// that reached it asked for, until when.
#[derive(Debug, Clone, Default)]
pub struct Practices {
    /// Level of each practice, 0 to 1, per tree (index with [`Practice::index`]).
    pub level: [Vec<f64>; Practice::COUNT],
    /// Level asked for by the latest decision of each practice that reached the tree.
    pub ordered: [Vec<f64>; Practice::COUNT],
    /// Tick at which that decision stops holding at the tree.
    pub until: [Vec<u64>; Practice::COUNT],
    /// Whether any tree holds or was asked for each practice (the others are zero everywhere).
    pub held: [bool; Practice::COUNT],
}

impl Practices {
    pub fn new(n: usize) -> Self {
        Self {
            level: std::array::from_fn(|_| vec![0.0; n]),
            ordered: std::array::from_fn(|_| vec![0.0; n]),
            until: std::array::from_fn(|_| vec![0; n]),
            held: [false; Practice::COUNT],
        }
    }

    pub fn get(&self, practice: Practice) -> &[f64] {
        &self.level[practice.index()]
    }
}

/// Per-tree state, one array per quantity.
#[derive(Debug, Clone, Default)]
pub struct Trees {
    pub name: Vec<String>,
    pub x: Vec<f64>,
    pub size: Vec<f64>,
    pub alive: Vec<bool>,
    pub parent: Vec<u32>,
    pub depth: Vec<u32>,
    pub children: Vec<u32>,
    pub biomass: Vec<f64>,
    pub energy: Vec<f64>,
    pub litter: Vec<f64>,
    pub nutrients: Vec<f64>,
    pub stress: Vec<f64>,
    pub trust: Vec<f64>,
    pub clarity: Vec<f64>,
    /// −1 to 1: how far the tree reaches left or right for light.
    pub lean: Vec<f64>,
    /// Light falling where the tree reaches, this tick.
    pub light: Vec<f64>,
    /// Return per unit of effort, this tick (its real productivity).
    pub yield_: Vec<f64>,
    /// Value of one more unit of energy here: yield, less as budget piles up beyond its runway.
    pub usefulness: Vec<f64>,
    /// Usefulness it signalled: its own or, relayed, the best a neighbour told it of.
    pub signal: Vec<f64>,
    /// How useful the typical place it hears of is (the mean of what its neighbours told it this
    /// tick, as far as it believes them): what it judges a transfer of energy or people against.
    pub heard_typical: Vec<f64>,
    /// Where it believes, from what it heard and saw, more light is: −1 left to 1 right.
    pub light_gradient: Vec<f64>,
    /// Where its neighbours' word alone says more light is (the part of `light_gradient` that
    /// does not come from looking for itself).
    pub heard_gradient: Vec<f64>,
    /// Effort planned this tick (energy to spend on work).
    pub planned_effort: Vec<f64>,
    pub attention_capacity: Vec<f64>,
    pub attention_load: Vec<f64>,
    /// One-off loads (decisions, reorganizations) still being worked through.
    pub pending_load: Vec<f64>,
    pub value_real: Vec<f64>,
    pub value_reported: Vec<f64>,
    /// Energy received and given along links this tick.
    pub inflow: Vec<f64>,
    pub outflow: Vec<f64>,
    /// Energy received or given by reallocations this tick (positive received).
    pub mandated: Vec<f64>,
    pub litterfall: Vec<f64>,
    /// Age, in ticks, of the signals behind the latest allocation this tree experienced.
    pub decision_age: Vec<f64>,
    /// Ticks of pest infection left.
    pub infected: Vec<u32>,
    pub pest_strength: Vec<f64>,
    pub practices: Practices,
    /// Where alignment orders last told the tree to lean toward (NaN: none).
    pub align_goal: Vec<f64>,
    /// The target a tree was set: the level asked of the measure, the light the measure counts
    /// (what the measured place had when the target arrived), and the lean that points there.
    pub target_level: Vec<f64>,
    pub target_light: Vec<f64>,
    pub target_lean: Vec<f64>,
    pub causes: Vec<VecDeque<Cause>>,
}

/// Per-link state, one array per quantity. Links are undirected; `flow` is positive from a to b.
#[derive(Debug, Clone, Default)]
pub struct Links {
    pub a: Vec<u32>,
    pub b: Vec<u32>,
    pub delay: Vec<u32>,
    pub capacity: Vec<f64>,
    pub flow: Vec<f64>,
    /// What the link carried this tick, both ways together.
    pub traffic: Vec<f64>,
    /// Delay in force this tick (shortened by open feedback).
    pub effective_delay: Vec<u32>,
    /// Links per tree, kept up to date by `refresh`.
    pub degree: Vec<u32>,
    changed: bool,
}

impl Links {
    pub fn len(&self) -> usize {
        self.a.len()
    }

    pub fn is_empty(&self) -> bool {
        self.a.is_empty()
    }

    /// Recounts links per tree (for `n` trees), if links changed since the last count.
    pub(crate) fn refresh(&mut self, n: usize) {
        if !self.changed && self.degree.len() == n {
            return;
        }
        self.degree.clear();
        self.degree.resize(n, 0);
        for l in 0..self.a.len() {
            self.degree[self.a[l] as usize] += 1;
            self.degree[self.b[l] as usize] += 1;
        }
        self.changed = false;
    }

    pub(crate) fn push(&mut self, a: u32, b: u32, delay: u32, capacity: f64) {
        self.changed = true;
        self.a.push(a);
        self.b.push(b);
        self.delay.push(delay);
        self.capacity.push(capacity);
        self.flow.push(0.0);
        self.traffic.push(0.0);
        self.effective_delay.push(delay);
    }

    /// Keeps the links for which `keep(l)` holds, in order.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(usize) -> bool) {
        let mut w = 0;
        for l in 0..self.a.len() {
            if keep(l) {
                self.a[w] = self.a[l];
                self.b[w] = self.b[l];
                self.delay[w] = self.delay[l];
                self.capacity[w] = self.capacity[l];
                self.flow[w] = self.flow[l];
                self.traffic[w] = self.traffic[l];
                self.effective_delay[w] = self.effective_delay[l];
                w += 1;
            }
        }
        if w != self.a.len() {
            self.changed = true;
            for v in [&mut self.a, &mut self.b, &mut self.delay, &mut self.effective_delay] {
                v.truncate(w);
            }
            self.capacity.truncate(w);
            self.flow.truncate(w);
            self.traffic.truncate(w);
        }
    }

    /// The tree at the other end of link `l` from `tree`.
    pub fn other(&self, l: usize, tree: u32) -> u32 {
        if self.a[l] == tree { self.b[l] } else { self.a[l] }
    }
}

/// A decision on its way down the hierarchy to one tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Directive {
    pub tree: u32,
    pub kind: InterventionKind,
    pub order: Order,
    /// Ticks from issue to arrival.
    pub delay: u32,
    /// Age of the picture leadership decided on, plus `delay`.
    pub signal_age: u32,
    /// How strongly it was meant (the intervention's strength): the weight of the experience.
    pub strength: f64,
}

/// What a decision asks of the tree it reaches.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Order {
    /// Work at this level of a practice until the tick given (then back to none).
    Practice { practice: Practice, level: f64, until: u64 },
    /// A target on the measure of the work at position `goal` (where the picture showed the
    /// most usefulness within reach), with its pressure, until the tick given.
    Target { goal: f64, pressure: f64, until: u64 },
    /// Lean toward this position, at this level of alignment, until the tick given.
    Align { goal: f64, level: f64, until: u64 },
    /// Hand this share of your energy beyond your reserve to the reallocation round's pool.
    Give { round: u32, share: f64 },
    /// Draw this much energy from the round's pool.
    Receive { round: u32, amount: f64 },
    /// Drop the link to this tree.
    Unlink(u32),
    /// Add a link to this tree.
    Link(u32),
    /// Report to this manager from now on.
    ReportTo(u32),
    /// Move this share of team `from`'s people to team `to`.
    MovePeople { from: u32, to: u32, share: f64 },
    /// This team is cut.
    Cut,
    /// Link to the nearest neighbour you are not linked to yet, with this chance.
    Connect(f64),
    /// A manager passes a decision on to this many direct reports.
    Relay(u32),
}

/// One reallocation: what its gives collected, what it still owes, how many of its orders are
/// still on their way, and who gave what (refunded in proportion when it settles).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Round {
    pub collected: f64,
    pub outstanding: u32,
    pub givers: Vec<(u32, f64)>,
}

/// What a pass over the links reads of each tree, in one record (one cache line) so one gather
/// brings it all.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(64))]
pub(crate) struct Node {
    pub usefulness: f64,
    /// What the tree signalled last tick, and its reciprocal.
    pub signal: f64,
    pub inverse_signal: f64,
    pub trust: f64,
    pub light: f64,
    pub open: f64,
    /// Where it works this tick (its position plus its lean), where it saw `light`.
    pub at: f64,
}

/// What the first pass over the links adds up for each tree.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(32))]
pub(crate) struct Heard {
    /// The most useful place a neighbour told of.
    pub best: f64,
    /// How useful each neighbour said it is, as far as the tree believes it, summed.
    pub sum: f64,
    /// The rise in light across its reach toward where each neighbour works, signed by side, as
    /// each neighbour's light against its own tells it (summed over its links).
    pub light_rise: f64,
    /// What it would give, over all its links, before scaling to its surplus.
    pub wanted_out: f64,
}

/// What the second pass over the links reads of each giver.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Giving {
    /// Share of what it wanted to give that its surplus allows.
    pub scale: f64,
    pub trust: f64,
    /// How far the tree agrees with energy coming in (`trust::agrees`): the same for a gift
    /// along a link as for a reallocation.
    pub agrees_in: f64,
    /// What it can take in this tick: room below `storage × biomass` once its own gifts have
    /// left (0 where it is dead).
    pub room: f64,
    /// Share of the gifts offered to it that it takes in (what fits in `room`).
    pub accept: f64,
}

/// What the second pass over the links adds up for each tree.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Received {
    pub energy: f64,
    pub inflow: f64,
    pub outflow: f64,
    /// Inflow the receiver agreed with.
    pub agreed: f64,
    /// Inflow times the delay of the link it came along.
    pub age: f64,
    /// Capacity of its links (each end keeps them up).
    pub capacity: f64,
}

/// Per-tree and per-link buffers reused from tick to tick instead of allocated each step.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    /// The pull on trust of the decisions each tree experienced this tick, each weighted.
    pub experience_pull: Vec<f64>,
    /// Drought in force over each tree this tick, and whether there is any.
    pub drought: Vec<f64>,
    pub drought_somewhere: bool,
    /// Where each tree looks for light this tick (its position plus its lean).
    pub looking_at: Vec<f64>,
    /// Where light is shared (`crowding` above 0): the people working in each stretch of the
    /// forest's width this tick, and the share of the light each stretch's workers get.
    pub crowd_people: Vec<f64>,
    pub crowd_share: Vec<f64>,
    /// What the link passes read and add up per tree (see `tick/network.rs`).
    pub nodes: Vec<Node>,
    pub heard: Vec<Heard>,
    pub giving: Vec<Giving>,
    pub received: Vec<Received>,
    /// What each link would carry each way before scaling to what the giver can spare.
    pub desire_ab: Vec<f32>,
    pub desire_ba: Vec<f32>,
    /// What the gifts offered to each tree this tick add up to, before it takes in what fits.
    pub offered: Vec<f64>,
    /// Whether any link's delay was shortened last tick (then every link's is set again).
    pub delays_shortened: bool,
    /// Where in the signal history each delay reads from this tick.
    pub slot_of: Vec<u32>,
    /// Each tree's report this tick.
    pub report: Vec<super::delays::Report>,
    /// The light each report states, where reports state it (`Params::point_by_light`).
    pub report_light: Vec<f64>,
    /// Whether a structural change touched the tree this tick (it pays `reorg_load` once).
    pub touched: Vec<bool>,
    /// How much each tree tends its soil this tick: its level of the practice, as far as it
    /// could pay for it.
    pub tended: Vec<f64>,
    /// The share of its links' upkeep each living tree paid this tick (1 where it paid all).
    pub upkeep_paid: Vec<f64>,
}

/// The whole model. Advance it with [`Forest::step`].
#[derive(Debug, Clone)]
pub struct Forest {
    pub params: Params,
    pub seed: u64,
    pub tick: u64,
    pub trees: Trees,
    pub links: Links,
    pub light: Light,
    /// Energy reallocations have collected and not yet handed out (the sum over open rounds).
    pub pool: f64,
    pub active: Vec<Active>,
    /// Every intervention issued so far, with its tick: for plots and saved sessions.
    pub issued: Vec<(u64, Intervention)>,
    pub metrics: Metrics,
    pub ledger: Ledger,
    /// Every draw of the trees and their links (and of how a storm's damage and a pest spread
    /// through them).
    pub(crate) rng: ModelRng,
    /// The light's own draws (where its patches start, how they wander and shift), on a stream of
    /// the same seed apart from `rng`: how many draws the trees make, which differs with how they
    /// are led, never moves the light, so every style of leading meets the same weather.
    pub(crate) light_rng: ModelRng,
    /// The weather's own draws (which trees a storm strikes and how hard, where a pest lands),
    /// on a third stream, for the same reason: the same seed brings every style the same storms.
    pub(crate) shock_rng: ModelRng,
    /// The draws of the noise in the light a report states (`Params::point_by_light` with
    /// `report_noise`), on a stream of their own, so that stating the light moves no other draw.
    pub(crate) report_light_rng: ModelRng,
    pub(crate) history: LinkHistory,
    /// What each tree says it delivers per person, tick by tick, for its neighbours to hear as
    /// late as their links are slow; kept only where people move on their own (`mobility`).
    pub(crate) per_person_said: History<f32>,
    pub(crate) reports: ReportLines,
    /// Value of the work each tree did in each of the last `delivery` ticks, still to arrive:
    /// slot `tick % delivery`, one value per tree.
    pub(crate) pipeline: Vec<f64>,
    pub(crate) pending: BTreeMap<u64, Vec<Directive>>,
    /// For each tree, the tick the last order that sets how it works (a practice, a target, an
    /// alignment) reaches it: a reporting line passes such orders on in the order they were given.
    pub(crate) standing_due: Vec<u64>,
    /// Reallocation rounds whose orders have not all arrived, by number.
    pub(crate) rounds: BTreeMap<u32, Round>,
    pub(crate) next_round: u32,
    /// For each target decision in force and each tree under it (by decision id, then tree),
    /// the team whose work leadership last told the tree its target measures: leadership's
    /// record of its own orders, which a review compares the reports with.
    pub(crate) measured: BTreeMap<(u32, u32), u32>,
    /// For each alignment decision in force and each tree under it (by decision id, then tree),
    /// the team whose work the picture last showed best within its reach (itself where it was
    /// its own best): leadership's record of its own orders, so that it can call back one it
    /// knows to be out of date.
    pub(crate) aligned: BTreeMap<(u32, u32), u32>,
    pub(crate) initial_biomass: f64,
    pub(crate) next_id: u32,
    pub(crate) litterfall_avg: f64,
    pub(crate) recycled_avg: f64,
    /// Trees in order of position, and each tree's place in that order, for finding near
    /// neighbours.
    pub(crate) by_position: Vec<u32>,
    pub(crate) position_rank: Vec<u32>,
    pub(crate) scratch: Scratch,
}

impl Forest {
    pub fn team_count(&self) -> usize {
        self.trees.name.len()
    }

    /// Starts an intervention now. It acts from the next step: shocks at once, leadership's
    /// decisions as they reach each tree down the hierarchy.
    pub fn intervene(&mut self, intervention: Intervention) {
        let id = self.next_id;
        self.next_id += 1;
        self.issued.push((self.tick, intervention.clone()));
        self.active.push(Active { id, intervention, start: self.tick });
    }

    /// Value each tree's work in progress will deliver, in all.
    pub fn in_progress(&self, i: usize) -> f64 {
        let n = self.team_count();
        self.pipeline.iter().skip(i).step_by(n.max(1)).sum()
    }

    /// Total of every stock of the conserved resource.
    pub fn stocks(&self) -> f64 {
        let t = &self.trees;
        let mut s = self.pool;
        for i in 0..t.biomass.len() {
            s += t.energy[i] + t.biomass[i] + t.litter[i] + t.nutrients[i];
        }
        s
    }

    /// Indices of the living trees a selection names.
    pub fn selected(&self, on: &Selection) -> Vec<u32> {
        match on {
            Selection::All => (0..self.team_count() as u32).filter(|&i| self.trees.alive[i as usize]).collect(),
            // A team named twice is one team: each is chosen once, where first named.
            Selection::Trees(list) => {
                let mut seen = std::collections::BTreeSet::new();
                list.iter()
                    .copied()
                    .filter(|&i| (i as usize) < self.team_count() && self.trees.alive[i as usize] && seen.insert(i))
                    .collect()
            }
        }
    }

    /// Recomputes depths and child counts after the reporting lines changed.
    pub(crate) fn recompute_hierarchy(&mut self) {
        let t = &mut self.trees;
        t.children.iter_mut().for_each(|c| *c = 0);
        for i in 0..t.parent.len() {
            if t.alive[i] && t.parent[i] != NONE {
                t.children[t.parent[i] as usize] += 1;
            }
        }
        t.depth = depths(&t.parent);
    }

    /// A one-off piece of work costing `attention` in all reaches tree `i`: it is worked
    /// through over the following ticks, `1 − load_persistence` of what is left each tick, so
    /// the attention it takes over time adds up to `attention`.
    pub(crate) fn add_one_off_load(&mut self, i: usize, attention: f64) {
        self.trees.pending_load[i] += attention * (1.0 - self.params.load_persistence);
    }

    /// Records that people moved on their own between `tree` and `other` this tick. One entry
    /// per pair, the newest kept, so that people moving every tick do not crowd every other
    /// cause out.
    pub(crate) fn record_drift(&mut self, tree: u32, other: u32) {
        let q = &mut self.trees.causes[tree as usize];
        q.retain(|c| !(c.route == CauseRoute::PeopleDrifted && c.from == other));
        let cause = Cause { tick: self.tick, kind: None, route: CauseRoute::PeopleDrifted, from: other, delay: 0 };
        self.record_cause(tree, cause);
    }

    pub(crate) fn record_cause(&mut self, tree: u32, cause: Cause) {
        let q = &mut self.trees.causes[tree as usize];
        if q.len() == CAUSES_KEPT {
            q.pop_front();
        }
        q.push_back(cause);
    }
}

/// Hops from each tree up to its root. The reporting lines must be free of cycles.
pub(crate) fn depths(parent: &[u32]) -> Vec<u32> {
    let n = parent.len();
    let mut depth = vec![u32::MAX; n];
    let mut chain = Vec::new();
    for i in 0..n {
        chain.clear();
        let mut j = i;
        while depth[j] == u32::MAX && parent[j] != NONE {
            chain.push(j);
            j = parent[j] as usize;
        }
        let mut d = if depth[j] == u32::MAX { 0 } else { depth[j] };
        depth[j] = d;
        for &c in chain.iter().rev() {
            d += 1;
            depth[c] = d;
        }
    }
    depth
}
