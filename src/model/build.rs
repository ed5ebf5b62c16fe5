//! Building a forest from plain data: checking it, sizing what it must remember, and
//! refusing one whose run would need more memory than [`MEMORY_LIMIT`].

use std::collections::{BTreeMap, VecDeque};

use super::delays::{History, LinkHistory, ReportLines, fixed_bytes};
use super::forest::{Forest, Links, NONE, Practices, Scratch, Trees, depths};
use super::light::{Light, LightConfig};
use super::metrics::Ledger;
use super::params::Params;
use super::rng::ModelRng;

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

/// The most memory a forest may ask for; a scene needing more is refused before a run.
pub const MEMORY_LIMIT: u64 = 2 << 30;

/// What a forest will hold in memory, known before anything is allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryNeed {
    /// Reports climbing the hierarchy: each tree keeps `depth × hop_delay + 1` of them.
    pub reports: u64,
    /// Signals sent into links, kept as long as the slowest link takes.
    pub signals: u64,
    /// Every other per-tree and per-link array.
    pub state: u64,
}

impl MemoryNeed {
    /// Bytes for a forest with these reporting lines (free of cycles) and links.
    pub fn of(parent: &[u32], links: usize, slowest_link: u32, params: &Params) -> Self {
        let depth = depths(parent);
        let kept = slowest_link.max(params.new_link_delay);
        let moving = if params.mobility > 0.0 { History::<f32>::bytes(kept, parent.len()) } else { 0 };
        Self {
            reports: ReportLines::bytes(&depth, params.hop_delay, params.point_by_light > 0),
            signals: LinkHistory::bytes(kept, parent.len()) + moving,
            state: fixed_bytes(parent.len(), links),
        }
    }

    pub fn total(&self) -> u64 {
        self.reports + self.signals + self.state
    }

    /// Why the forest needs what it needs, in a sentence (for refusals).
    pub fn explain(&self) -> String {
        let gb = |b: u64| b as f64 / (1u64 << 30) as f64;
        let (part, why, remedy) = [
            (
                self.reports,
                "the reports climbing the hierarchy (each team keeps depth × hop_delay of them)",
                "a shallower hierarchy, a smaller hop_delay or fewer teams",
            ),
            (
                self.signals,
                "the signals travelling along links (every team keeps as many ticks as the slowest link)",
                "shorter link delays or fewer teams",
            ),
            (self.state, "the teams and links themselves", "fewer teams or links"),
        ]
        .into_iter()
        .max_by_key(|(b, _, _)| *b)
        .expect("three parts");
        format!(
            "a run would need {:.1} GB, more than the {:.0} GB allowed; most of it ({:.1} GB) is {why}: use {remedy}",
            gb(self.total()),
            gb(MEMORY_LIMIT),
            gb(part)
        )
    }
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
    #[error("{0}")]
    TooLarge(String),
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
        let slowest = links.iter().map(|k| k.delay.max(1)).max().unwrap_or(1);
        let need = MemoryNeed::of(&parent, links.len(), slowest, &params);
        if need.total() > MEMORY_LIMIT {
            return Err(BuildError::TooLarge(need.explain()));
        }

        let kept_signals = slowest.max(params.new_link_delay);
        let moving = params.mobility > 0.0;
        let pipeline_len = n * params.delivery.max(1) as usize;
        let rng = ModelRng::seeded(seed);
        let mut light_rng = ModelRng::stream(seed, 1);
        let light = Light::new(light, &mut light_rng);
        let shock_rng = ModelRng::stream(seed, 2);
        let report_light_rng = ModelRng::stream(seed, 3);
        let p = &params;
        let trees = Trees {
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
            usefulness: vec![0.0; n],
            signal: vec![0.0; n],
            heard_typical: vec![0.0; n],
            light_gradient: vec![0.0; n],
            heard_gradient: vec![0.0; n],
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
            decision_age: vec![0.0; n],
            infected: vec![0; n],
            pest_strength: vec![0.0; n],
            practices: Practices::new(n),
            align_goal: vec![f64::NAN; n],
            target_level: vec![0.0; n],
            target_light: vec![0.0; n],
            target_lean: vec![0.0; n],
            causes: vec![VecDeque::new(); n],
        };
        let mut link_arrays = Links::default();
        for k in &links {
            link_arrays.push(k.a, k.b, k.delay.max(1), k.capacity);
        }
        let mut by_position: Vec<u32> = (0..n as u32).collect();
        by_position.sort_by(|&a, &b| trees.x[a as usize].total_cmp(&trees.x[b as usize]).then(a.cmp(&b)));
        let mut position_rank = vec![0u32; n];
        for (rank, &i) in by_position.iter().enumerate() {
            position_rank[i as usize] = rank as u32;
        }
        let initial_biomass = trees.biomass.iter().sum();
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
            metrics: Default::default(),
            ledger: Ledger::default(),
            rng,
            light_rng,
            shock_rng,
            report_light_rng,
            history: LinkHistory::new(kept_signals, n),
            per_person_said: History::new(kept_signals, if moving { n } else { 0 }),
            // Filled by `prime` once the trees know how useful they are.
            reports: ReportLines::new(&[], 1, &[], None),
            pending: BTreeMap::new(),
            standing_due: vec![0; n],
            pipeline: vec![0.0; pipeline_len],
            rounds: BTreeMap::new(),
            next_round: 0,
            measured: BTreeMap::new(),
            aligned: BTreeMap::new(),
            initial_biomass,
            next_id: 0,
            litterfall_avg: 0.0,
            recycled_avg: 0.0,
            by_position,
            position_rank,
            scratch: Scratch::default(),
        };
        forest.recompute_hierarchy();
        // A tree acts at first on signals as old as its links are slow.
        let (mut delay_sum, mut degree) = (vec![0.0; n], vec![0.0; n]);
        for k in &links {
            for t in [k.a, k.b] {
                delay_sum[t as usize] += k.delay.max(1) as f64;
                degree[t as usize] += 1.0;
            }
        }
        for i in 0..n {
            forest.trees.decision_age[i] = if degree[i] > 0.0 { delay_sum[i] / degree[i] } else { 0.0 };
        }
        super::tick::prime(&mut forest);
        // Nothing has flowed yet: the opening row's ledger closes on the stocks it opens with.
        let mut opening = Ledger { stocks_before: forest.stocks(), ..Default::default() };
        forest.metrics = forest.measure(&mut opening);
        Ok(forest)
    }
}

/// A team whose chain of reporting lines loops back on itself, if any.
pub fn find_cycle(parent: &[u32]) -> Option<usize> {
    let n = parent.len();
    // 0 unvisited, 1 on the current walk, 2 known to reach a root.
    let mut state = vec![0u8; n];
    let mut walk = Vec::new();
    for start in 0..n {
        walk.clear();
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
        for &w in &walk {
            state[w] = 2;
        }
    }
    None
}
