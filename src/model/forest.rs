//! The forest's state: trees (teams) and links as plain arrays, the hierarchy, signal history,
//! interventions in force and the orders travelling down the hierarchy.

use std::collections::{BTreeMap, VecDeque};

use super::intervention::{Active, Intervention, InterventionKind, Selection};
use super::light::{Light, LightConfig};
use super::metrics::{Ledger, Metrics};
use super::params::Params;
use super::rng::ModelRng;

/// "No tree": the parent of a root, the source of a cause from leadership or the weather.
pub const NONE: u32 = u32::MAX;

/// A team as the forest is built from it.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamInit {
    pub name: String,
    /// Position across the forest, 0 to 1.
    pub x: f64,
    /// People in the team.
    pub size: f64,
    /// Index of the team it reports to, or `NONE`.
    pub parent: u32,
    /// Starting biomass (capability).
    pub biomass: f64,
    /// Starting energy (budget); `None` for the reserve and a little more.
    pub energy: Option<f64>,
}

/// A link (root or fungal thread) as the forest is built from it.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkInit {
    pub a: u32,
    pub b: u32,
    pub delay: u32,
    pub capacity: f64,
}

/// How a cause reached a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CauseRoute {
    /// A directive that came down the hierarchy.
    Directive,
    /// A condition that began to hold here.
    Condition,
    /// A shock that struck here.
    Shock,
    /// Spread from a neighbour along a link (pests).
    Spread,
    /// Links or reporting lines changed by a reorganization.
    Reorganized,
    /// A neighbour was cut.
    NeighbourCut,
}

/// Something that reached a tree: the inspector's "why".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cause {
    pub tick: u64,
    pub kind: InterventionKind,
    pub route: CauseRoute,
    /// The tree it came from, or `NONE` for leadership or the environment.
    pub from: u32,
    /// Ticks between its issue and its arrival.
    pub delay: u32,
}

/// Causes kept per tree.
pub const CAUSES_KEPT: usize = 8;

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
    /// Light falling where the tree reaches, last tick.
    pub light: Vec<f64>,
    /// Return per unit of effort, last tick (its real usefulness).
    pub yield_: Vec<f64>,
    /// Usefulness it signalled: its own or, relayed, a neighbour's.
    pub signal: Vec<f64>,
    /// Effort planned this tick (energy to spend on work).
    pub planned_effort: Vec<f64>,
    pub attention_capacity: Vec<f64>,
    pub attention_load: Vec<f64>,
    /// One-off loads (directives, reorganizations) still being worked through.
    pub pending_load: Vec<f64>,
    pub value_real: Vec<f64>,
    pub value_reported: Vec<f64>,
    /// Energy received and given along links last tick.
    pub inflow: Vec<f64>,
    pub outflow: Vec<f64>,
    /// Energy received or given by mandates last tick (positive received).
    pub mandated: Vec<f64>,
    pub litterfall: Vec<f64>,
    /// Ticks in need without help.
    pub unanswered: Vec<u32>,
    /// Age, in ticks, of the signals behind the latest allocation this tree experienced.
    pub decision_age: Vec<f64>,
    /// Ticks of pest infection left.
    pub infected: Vec<u32>,
    pub pest_strength: Vec<f64>,
    // Orders that arrived and hold while their intervention is in force.
    /// Direction of the last mandate this tree got: 1 receive, −1 give, 0 none.
    pub last_order: Vec<i8>,
    pub push: Vec<f64>,
    pub align_goal: Vec<f64>,
    pub target_level: Vec<f64>,
    pub target_pressure: Vec<f64>,
    pub target_yield: Vec<f64>,
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
    /// Delay in force last tick (shortened by open feedback).
    pub effective_delay: Vec<u32>,
    /// Links per tree, kept up to date by `refresh_degree`.
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

    /// Recounts links per tree if links changed since the last count.
    pub(super) fn refresh_degree(&mut self, trees: usize) {
        if !self.changed && self.degree.len() == trees {
            return;
        }
        self.degree.clear();
        self.degree.resize(trees, 0);
        for l in 0..self.a.len() {
            self.degree[self.a[l] as usize] += 1;
            self.degree[self.b[l] as usize] += 1;
        }
        self.changed = false;
    }

    pub(super) fn push(&mut self, a: u32, b: u32, delay: u32, capacity: f64) {
        self.changed = true;
        self.a.push(a);
        self.b.push(b);
        self.delay.push(delay);
        self.capacity.push(capacity);
        self.flow.push(0.0);
        self.effective_delay.push(delay);
    }

    pub(super) fn swap_remove(&mut self, l: usize) {
        self.changed = true;
        self.a.swap_remove(l);
        self.b.swap_remove(l);
        self.delay.swap_remove(l);
        self.capacity.swap_remove(l);
        self.flow.swap_remove(l);
        self.effective_delay.swap_remove(l);
    }
}

/// An order on its way down the hierarchy.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Directive {
    pub tree: u32,
    pub kind: InterventionKind,
    pub order: Order,
    /// Ticks from issue to arrival.
    pub delay: u32,
    /// Age of the picture leadership decided on, plus `delay`.
    pub signal_age: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Order {
    /// Hand this share of your energy to the pool.
    Give(f64),
    /// Draw this much energy from the pool.
    Receive(f64),
    Target {
        level: f64,
        pressure: f64,
    },
    Push(f64),
    /// Lean toward this position.
    Align(f64),
}

/// Signal history: what each tree sent at each of the last `len` ticks.
#[derive(Debug, Clone)]
pub(super) struct History {
    pub len: usize,
    pub n: usize,
    pub signal: Vec<f32>,
    pub reported: Vec<f32>,
    /// Light each tree saw, as its neighbours hear of it.
    pub light: Vec<f32>,
}

impl History {
    fn new(len: usize, n: usize) -> Self {
        Self { len, n, signal: vec![0.0; len * n], reported: vec![0.0; len * n], light: vec![0.0; len * n] }
    }

    /// Start of the slice written at `tick`.
    pub fn slot(&self, tick: u64) -> usize {
        (tick as usize & (self.len - 1)) * self.n
    }

    /// Start of the slice sent `age` ticks before `tick` (clamped to what is kept).
    pub fn slot_ago(&self, tick: u64, age: u32) -> usize {
        let age = (age as u64).min(self.len as u64 - 1).min(tick);
        self.slot(tick - age)
    }
}

/// Per-tick effects of the interventions in force, recomputed each tick.
#[derive(Debug, Clone, Default)]
pub(super) struct Conditions {
    pub push_cover: Vec<bool>,
    pub align_cover: Vec<f64>,
    pub target_cover: Vec<bool>,
    pub slack: Vec<f64>,
    pub open: Vec<f64>,
    pub direct: Vec<bool>,
    pub clarify: Vec<f64>,
    pub soil: Vec<f64>,
    pub drought: Vec<f64>,
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
    /// Energy leadership has collected by mandate and not yet handed out.
    pub pool: f64,
    pub active: Vec<Active>,
    /// Every intervention issued so far, with its tick: for plots and saved sessions.
    pub issued: Vec<(u64, Intervention)>,
    pub metrics: Metrics,
    pub ledger: Ledger,
    pub(super) rng: ModelRng,
    pub(super) history: History,
    pub(super) pending: BTreeMap<u64, Vec<Directive>>,
    pub(super) conditions: Conditions,
    pub(super) initial_biomass: f64,
    pub(super) next_id: u32,
    pub(super) litterfall_avg: f64,
    pub(super) recycled_avg: f64,
    /// What the `a` end of each link perceived of the `b` end this tick (and `seen_at_b` the reverse).
    pub seen_at_a: Vec<f64>,
    pub seen_at_b: Vec<f64>,
    pub(super) scratch: Scratch,
}

/// Per-tree buffers reused from tick to tick instead of allocated each step.
#[derive(Debug, Clone, Default)]
pub(super) struct Scratch {
    pub experience: Vec<super::step::Experience>,
    /// Best usefulness each tree heard from a neighbour this tick.
    pub best_neighbour: Vec<f64>,
    /// Where each tree looks for light this tick (its position plus its lean).
    pub looking_at: Vec<f64>,
    /// Light gradient each tree heard from its neighbours this tick.
    pub gradient: Vec<f64>,
    /// Mean trust of each link's two ends this tick (trust changes only at the end of a tick).
    pub link_trust: Vec<f64>,
    // Sharing: what each tree wants to give, what each link would carry each way before and
    // after scaling to what the giver can spare, and what receivers expected and how old it is.
    pub wanted_out: Vec<f64>,
    pub desire_ab: Vec<f64>,
    pub desire_ba: Vec<f64>,
    pub inverse_signal: Vec<f64>,
    pub scale: Vec<f64>,
    pub age_weighted: Vec<f64>,
    pub expected_in: Vec<f64>,
}

/// Problems building a forest from plain data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BuildError {
    #[error("link {link} joins team {team}, but there are only {teams} teams")]
    LinkOutOfRange { link: usize, team: u32, teams: usize },
    #[error("link {link} joins team {team} to itself")]
    SelfLink { link: usize, team: u32 },
    #[error("team {team} reports to team {parent}, which does not exist")]
    ParentOutOfRange { team: usize, parent: u32 },
    #[error("the reporting lines form a cycle through team {team}")]
    Cycle { team: usize },
}

impl Forest {
    /// Builds a forest; deterministic for the seed.
    pub fn new(
        teams: Vec<TeamInit>,
        links: Vec<LinkInit>,
        params: Params,
        light: LightConfig,
        seed: u64,
    ) -> Result<Self, BuildError> {
        let n = teams.len();
        for (i, t) in teams.iter().enumerate() {
            if t.parent != NONE && t.parent as usize >= n {
                return Err(BuildError::ParentOutOfRange { team: i, parent: t.parent });
            }
        }
        for (l, k) in links.iter().enumerate() {
            for team in [k.a, k.b] {
                if team as usize >= n {
                    return Err(BuildError::LinkOutOfRange { link: l, team, teams: n });
                }
            }
            if k.a == k.b {
                return Err(BuildError::SelfLink { link: l, team: k.a });
            }
        }
        let parent: Vec<u32> = teams.iter().map(|t| t.parent).collect();
        if let Some(team) = find_cycle(&parent) {
            return Err(BuildError::Cycle { team });
        }

        let mut rng = ModelRng::seeded(seed);
        let light = Light::new(light, &mut rng);
        let p = &params;
        let mut trees = Trees {
            name: teams.iter().map(|t| t.name.clone()).collect(),
            x: teams.iter().map(|t| t.x).collect(),
            size: teams.iter().map(|t| t.size).collect(),
            alive: vec![true; n],
            parent,
            depth: vec![0; n],
            children: vec![0; n],
            biomass: teams.iter().map(|t| t.biomass).collect(),
            energy: teams.iter().map(|t| t.energy.unwrap_or(t.biomass * (p.reserve + 0.5))).collect(),
            litter: vec![0.0; n],
            nutrients: teams.iter().map(|t| t.size * p.nutrient_half * 2.0).collect(),
            stress: vec![0.0; n],
            trust: vec![p.initial_trust; n],
            clarity: vec![p.values_clarity; n],
            lean: vec![0.0; n],
            light: vec![0.0; n],
            yield_: vec![0.0; n],
            signal: vec![0.0; n],
            planned_effort: vec![0.0; n],
            attention_capacity: teams.iter().map(|t| t.size * p.attention_per_person).collect(),
            attention_load: vec![0.0; n],
            pending_load: vec![0.0; n],
            value_real: vec![0.0; n],
            value_reported: vec![0.0; n],
            inflow: vec![0.0; n],
            outflow: vec![0.0; n],
            mandated: vec![0.0; n],
            litterfall: vec![0.0; n],
            unanswered: vec![0; n],
            decision_age: vec![0.0; n],
            infected: vec![0; n],
            pest_strength: vec![0.0; n],
            last_order: vec![0; n],
            push: vec![0.0; n],
            align_goal: vec![f64::NAN; n],
            target_level: vec![0.0; n],
            target_pressure: vec![0.0; n],
            target_yield: vec![0.0; n],
            causes: vec![VecDeque::new(); n],
        };
        let mut link_arrays = Links::default();
        for k in &links {
            link_arrays.push(k.a, k.b, k.delay.max(1), k.capacity);
        }
        // A tree acts at first on signals as old as its links are slow.
        let (mut delay_sum, mut degree) = (vec![0.0; n], vec![0.0; n]);
        for k in &links {
            for t in [k.a, k.b] {
                delay_sum[t as usize] += k.delay.max(1) as f64;
                degree[t as usize] += 1.0;
            }
        }
        for i in 0..n {
            trees.decision_age[i] = if degree[i] > 0.0 { delay_sum[i] / degree[i] } else { 0.0 };
        }
        let initial_biomass = trees.biomass.iter().sum();
        let max_link_delay = links.iter().map(|k| k.delay).max().unwrap_or(1);
        let mut forest = Self {
            params,
            seed,
            tick: 0,
            trees,
            links: link_arrays,
            light,
            pool: 0.0,
            active: Vec::new(),
            issued: Vec::new(),
            metrics: Metrics::default(),
            ledger: Ledger::default(),
            rng,
            history: History::new(1, n),
            pending: BTreeMap::new(),
            conditions: Conditions::default(),
            initial_biomass,
            next_id: 0,
            litterfall_avg: 0.0,
            recycled_avg: 0.0,
            seen_at_a: Vec::new(),
            seen_at_b: Vec::new(),
            scratch: Scratch::default(),
        };
        forest.recompute_hierarchy();
        let max_depth = forest.trees.depth.iter().copied().max().unwrap_or(0);
        // Room for the slowest link and for reports climbing twice today's deepest hierarchy.
        let needed = (max_link_delay.max(forest.params.new_link_delay) as usize)
            .max(2 * (max_depth as usize + 1) * forest.params.hop_delay as usize)
            + 2;
        forest.history = History::new(needed.next_power_of_two().max(8), n);
        forest.measure_light();
        let initial_signal: Vec<f64> = (0..n).map(|i| forest.trees.light[i]).collect();
        for slot in 0..forest.history.len {
            for (i, s) in initial_signal.iter().enumerate() {
                forest.history.signal[slot * n + i] = *s as f32;
                forest.history.light[slot * n + i] = *s as f32;
            }
        }
        forest.metrics = forest.measure(Ledger::default());
        Ok(forest)
    }

    pub fn team_count(&self) -> usize {
        self.trees.name.len()
    }

    /// Starts an intervention now. Instant kinds act on the next step.
    pub fn intervene(&mut self, intervention: Intervention) {
        let id = self.next_id;
        self.next_id += 1;
        self.issued.push((self.tick, intervention.clone()));
        self.active.push(Active { id, intervention, start: self.tick });
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
            Selection::Trees(list) => list
                .iter()
                .copied()
                .filter(|&i| (i as usize) < self.team_count() && self.trees.alive[i as usize])
                .collect(),
        }
    }

    /// Recomputes depths and child counts after the reporting lines changed.
    pub(super) fn recompute_hierarchy(&mut self) {
        let t = &mut self.trees;
        let n = t.parent.len();
        t.children.iter_mut().for_each(|c| *c = 0);
        for i in 0..n {
            if t.alive[i] && t.parent[i] != NONE {
                t.children[t.parent[i] as usize] += 1;
            }
        }
        let mut depth = vec![u32::MAX; n];
        for i in 0..n {
            let mut chain = Vec::new();
            let mut j = i;
            while depth[j] == u32::MAX && t.parent[j] != NONE {
                chain.push(j);
                j = t.parent[j] as usize;
            }
            let mut d = if depth[j] == u32::MAX { 0 } else { depth[j] };
            depth[j] = d;
            for &c in chain.iter().rev() {
                d += 1;
                depth[c] = d;
            }
        }
        t.depth = depth;
    }

    pub(super) fn record_cause(&mut self, tree: u32, cause: Cause) {
        let q = &mut self.trees.causes[tree as usize];
        if q.len() == CAUSES_KEPT {
            q.pop_front();
        }
        q.push_back(cause);
    }

    /// Removes every link touching `tree`; returns the energy those links carried last tick.
    pub(super) fn cut_links_of(&mut self, tree: u32) -> f64 {
        let mut carried = 0.0;
        let mut l = 0;
        while l < self.links.len() {
            if self.links.a[l] == tree || self.links.b[l] == tree {
                carried += self.links.flow[l].abs();
                self.links.swap_remove(l);
            } else {
                l += 1;
            }
        }
        carried
    }
}

/// A team whose chain of reporting lines loops back on itself, if any.
pub fn find_cycle(parent: &[u32]) -> Option<usize> {
    let n = parent.len();
    // 0 unvisited, 1 on the current walk, 2 known to reach a root.
    let mut state = vec![0u8; n];
    for start in 0..n {
        let mut walk = Vec::new();
        let mut j = start;
        loop {
            match state[j] {
                2 => break,
                1 => return Some(j),
                _ => {}
            }
            state[j] = 1;
            walk.push(j);
            if parent[j] == NONE || parent[j] as usize >= n {
                break;
            }
            j = parent[j] as usize;
        }
        for w in walk {
            state[w] = 2;
        }
    }
    None
}
