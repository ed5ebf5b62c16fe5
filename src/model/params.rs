//! The forest's tunable parameters, their defaults and the ranges a scene may set them to.
//!
//! Every field is documented in docs/MODEL.md with the mechanism and the law it serves.

use serde::{Deserialize, Serialize};

/// Parameters of the mechanisms. All rates are per tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    /// Share of its biomass a tree spends as work effort each tick.
    pub effort: f64,
    /// Share of its spare budget a tree spends on extra work per tick, while work pays.
    pub spending: f64,
    /// Energy returned per unit of effort at full light, nutrients and room to grow.
    pub productivity: f64,
    /// Energy each unit of biomass costs to keep alive each tick.
    pub maintenance: f64,
    /// Biomass per person at which a tree's use of light is halved (diminishing returns).
    pub half_saturation: f64,
    /// Soil nutrients per person at which production is halved.
    pub nutrient_half: f64,
    /// Share of surplus energy a tree turns into biomass each tick.
    pub growth_rate: f64,
    /// Nutrients consumed per unit of energy turned into biomass.
    pub nutrient_per_growth: f64,
    /// Energy a tree keeps in reserve per unit biomass before it grows or shares.
    pub reserve: f64,
    /// Energy a tree can hold per unit biomass; more spoils into litter.
    pub storage: f64,
    /// Share of biomass shed as dead wood per tick while a tree starves.
    pub starvation_dieback: f64,
    /// Share of biomass that falls as leaves each tick (ordinary turnover of work).
    pub turnover: f64,
    /// Wood per person that sprouts from nutrients per tick in full light (seedlings).
    pub sprouting: f64,
    /// Share of its biomass a tree short of energy may turn back into energy per tick to keep working.
    pub mobilization: f64,
    /// How strongly trees share energy along a link toward higher perceived usefulness.
    pub share_rate: f64,
    /// How much of a neighbour's perceived usefulness a tree passes on (signals travel link by link).
    pub relay: f64,
    /// Base noise of a signal, before stress and distrust amplify it.
    pub signal_noise: f64,
    /// Growth of a link's capacity per unit of energy it carries (scaled by trust).
    pub capacity_growth: f64,
    /// Share of the capacity above the minimum a link loses per tick when unused.
    pub capacity_decay: f64,
    /// Capacity a link never falls below, and that new links start with.
    pub min_capacity: f64,
    /// Delay, in ticks, of links created during a run (grown connections, reorganizations).
    pub new_link_delay: u32,
    /// Share of the litter the soil decomposes each tick (the learning culture).
    pub soil_rate: f64,
    /// Share of decomposed litter that becomes nutrients; the rest is lost.
    pub recycling_efficiency: f64,
    /// Share of soil nutrients washed out per tick.
    pub leaching: f64,
    /// Litter per person at which litter halves a tree's production.
    pub smother: f64,
    /// Delay, in ticks, of each hop of the hierarchy, up for reports and down for directives.
    pub hop_delay: u32,
    /// Attention capacity per person.
    pub attention_per_person: f64,
    /// Attention that ordinary work uses, as a share of capacity, at normal effort.
    pub work_load: f64,
    /// Attention a manager spends per tick on each direct report.
    pub report_load: f64,
    /// Attention each link costs both its trees per tick to keep up.
    pub link_load: f64,
    /// Attention a directive costs the tree it reaches (doubled when trust is zero).
    pub directive_load: f64,
    /// Attention a reorganization costs each tree it touches.
    pub reorg_load: f64,
    /// Share of one-off attention load (directives, reorganizations) still pending next tick.
    pub load_persistence: f64,
    /// Stress added per unit of attention overload.
    pub stress_rise: f64,
    /// Share of stress that fades per tick when attention is not overloaded.
    pub stress_recovery: f64,
    /// How clearly the organization's values are stated, 0 to 1 (predictability of decisions).
    pub values_clarity: f64,
    /// Speed at which trust follows coherent or incoherent experience.
    pub trust_rate: f64,
    /// Trust every tree starts with.
    pub initial_trust: f64,
    /// Ticks a tree in need waits for help before it counts its feedback as ignored.
    pub patience: u32,
    /// Ticks between the reallocations a standing mandate orders.
    pub mandate_period: u32,
    /// Speed at which a tree leans toward where it perceives light.
    pub lean_rate: f64,
    /// How far, as a share of the forest's width, a fully leaning tree reaches.
    pub reach: f64,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            effort: 0.1,
            spending: 0.1,
            productivity: 4.0,
            maintenance: 0.02,
            half_saturation: 3.0,
            nutrient_half: 0.3,
            growth_rate: 0.05,
            nutrient_per_growth: 0.05,
            reserve: 0.5,
            storage: 3.0,
            starvation_dieback: 0.02,
            turnover: 0.004,
            sprouting: 0.002,
            mobilization: 0.01,
            share_rate: 0.5,
            relay: 0.85,
            signal_noise: 0.15,
            capacity_growth: 0.05,
            capacity_decay: 0.01,
            min_capacity: 0.2,
            new_link_delay: 2,
            soil_rate: 0.02,
            recycling_efficiency: 0.8,
            leaching: 0.002,
            smother: 10.0,
            hop_delay: 2,
            attention_per_person: 1.0,
            work_load: 0.55,
            report_load: 0.1,
            link_load: 0.03,
            directive_load: 0.5,
            reorg_load: 3.0,
            load_persistence: 0.85,
            stress_rise: 0.3,
            stress_recovery: 0.03,
            values_clarity: 0.3,
            trust_rate: 0.05,
            initial_trust: 0.5,
            patience: 8,
            mandate_period: 10,
            lean_rate: 0.05,
            reach: 0.04,
        }
    }
}

/// A parameter outside the range the mechanisms are built for.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamRangeError {
    pub field: &'static str,
    pub value: f64,
    pub min: f64,
    pub max: f64,
}

impl Params {
    /// Each numeric field with the range it must lie in, in declaration order.
    pub fn ranges(&self) -> Vec<(&'static str, f64, f64, f64)> {
        vec![
            ("effort", self.effort, 0.0, 1.0),
            ("spending", self.spending, 0.0, 1.0),
            ("productivity", self.productivity, 0.0, 1000.0),
            ("maintenance", self.maintenance, 0.0, 1.0),
            ("half_saturation", self.half_saturation, 1e-6, 1e6),
            ("nutrient_half", self.nutrient_half, 1e-6, 1e6),
            ("growth_rate", self.growth_rate, 0.0, 1.0),
            ("nutrient_per_growth", self.nutrient_per_growth, 0.0, 10.0),
            ("reserve", self.reserve, 0.0, 100.0),
            ("storage", self.storage, 0.0, 1000.0),
            ("starvation_dieback", self.starvation_dieback, 0.0, 1.0),
            ("turnover", self.turnover, 0.0, 1.0),
            ("sprouting", self.sprouting, 0.0, 1.0),
            ("mobilization", self.mobilization, 0.0, 1.0),
            ("share_rate", self.share_rate, 0.0, 10.0),
            ("relay", self.relay, 0.0, 1.0),
            ("signal_noise", self.signal_noise, 0.0, 1.0),
            ("capacity_growth", self.capacity_growth, 0.0, 10.0),
            ("capacity_decay", self.capacity_decay, 0.0, 1.0),
            ("min_capacity", self.min_capacity, 0.0, 1000.0),
            ("new_link_delay", self.new_link_delay as f64, 1.0, MAX_DELAY as f64),
            ("soil_rate", self.soil_rate, 0.0, 1.0),
            ("recycling_efficiency", self.recycling_efficiency, 0.0, 1.0),
            ("leaching", self.leaching, 0.0, 1.0),
            ("smother", self.smother, 1e-6, 1e6),
            ("hop_delay", self.hop_delay as f64, 1.0, 32.0),
            ("attention_per_person", self.attention_per_person, 1e-6, 1e6),
            ("work_load", self.work_load, 0.0, 10.0),
            ("report_load", self.report_load, 0.0, 100.0),
            ("link_load", self.link_load, 0.0, 100.0),
            ("directive_load", self.directive_load, 0.0, 1000.0),
            ("reorg_load", self.reorg_load, 0.0, 1000.0),
            ("load_persistence", self.load_persistence, 0.0, 0.999),
            ("stress_rise", self.stress_rise, 0.0, 10.0),
            ("stress_recovery", self.stress_recovery, 0.0, 1.0),
            ("values_clarity", self.values_clarity, 0.0, 1.0),
            ("trust_rate", self.trust_rate, 0.0, 1.0),
            ("initial_trust", self.initial_trust, 0.0, 1.0),
            ("patience", self.patience as f64, 1.0, 10_000.0),
            ("mandate_period", self.mandate_period as f64, 1.0, 10_000.0),
            ("lean_rate", self.lean_rate, 0.0, 1.0),
            ("reach", self.reach, 0.0, 0.5),
        ]
    }

    /// Every field outside its range (NaN is always outside).
    pub fn out_of_range(&self) -> Vec<ParamRangeError> {
        self.ranges()
            .into_iter()
            .filter(|&(_, v, lo, hi)| !(v >= lo && v <= hi))
            .map(|(field, value, min, max)| ParamRangeError { field, value, min, max })
            .collect()
    }
}

/// The longest delay, in ticks, a link may have.
pub const MAX_DELAY: u32 = 256;
