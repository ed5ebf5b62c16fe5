//! The forest's tunable parameters, their defaults and the ranges a scene may set them to.
//!
//! Every field is documented in docs/MODEL.md with the mechanism and the law it serves. No
//! parameter names an intervention's style: each applies to every source of a decision alike.

use serde::{Deserialize, Serialize};

/// Parameters of the mechanisms. All rates are per tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    // Energy and matter.
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
    /// Share of the energy above what a tree can hold that spoils each tick: 1 (the default) spoils
    /// it all at once; less lets it spoil gradually (an assumption a scene can move).
    pub spoilage_rate: f64,
    /// Share of biomass shed as dead wood per tick while a tree starves.
    pub starvation_dieback: f64,
    /// Share of biomass that falls as leaves each tick (ordinary turnover of work).
    pub turnover: f64,
    /// Wood per person that sprouts from nutrients per tick in full light (seedlings).
    pub sprouting: f64,
    /// Share of its biomass a tree short of energy may turn back into energy per tick to keep working.
    pub mobilization: f64,
    /// Ticks of planned work a tree wants on hand; budget beyond that is less useful to it.
    pub runway: f64,
    /// Ticks from work done to the value it delivers (work in progress).
    pub delivery: u32,

    // Roots and signals.
    /// How strongly trees share energy along a link toward higher perceived usefulness.
    pub share_rate: f64,
    /// How much of a neighbour's perceived usefulness a tree passes on (signals travel link by link).
    pub relay: f64,
    /// Base noise of a signal, before stress and distrust amplify it.
    pub signal_noise: f64,
    /// How noisy a tree's reports up the hierarchy are, as a share of the noise in what it tells
    /// its neighbours (`signal_noise` and its rule): 1 treats both alike. 0 (the default): a
    /// report's figures are exact but for a target's inflation and the managers' summaries.
    pub report_noise: f64,
    /// Growth of a link's capacity per unit of energy it carries (scaled by trust).
    pub capacity_growth: f64,
    /// Share of the capacity above the minimum a link loses per tick when unused.
    pub capacity_decay: f64,
    /// Capacity a link never falls below, and that new links start with.
    pub min_capacity: f64,
    /// Delay, in ticks, of links created during a run (grown connections, reorganizations).
    pub new_link_delay: u32,
    /// Energy each end of a new link pays to build it.
    pub link_build_cost: f64,
    /// Energy each end of a link pays per tick, per unit of capacity, to keep it.
    pub link_upkeep: f64,

    // Soil.
    /// Share of the litter the soil decomposes each tick (the learning culture).
    pub soil_rate: f64,
    /// Share of decomposed litter that becomes nutrients; the rest is lost.
    pub recycling_efficiency: f64,
    /// Share of soil nutrients washed out per tick.
    pub leaching: f64,
    /// Litter per person at which litter halves a tree's production.
    pub smother: f64,

    // The hierarchy.
    /// Delay, in ticks, of each hop of the hierarchy, up for reports and down for decisions.
    pub hop_delay: u32,
    /// Share of a report's difference from its siblings' that a fully stressed, distrustful
    /// manager loses when summarising it for the next level up.
    pub picture_blur: f64,
    /// Teams one person of a managing team can follow in detail: a manager keeps
    /// `min(1, span_of_detail × size / teams below it)` of what distinguishes each report it
    /// summarises (the hierarchy's capacity to process information).
    pub span_of_detail: f64,
    /// Ticks between the reallocations and alignment orders a standing command sends.
    pub mandate_period: u32,
    /// Ticks between a standing target's reviews, 0 to set a target once: at each review
    /// leadership re-aims the target of every tree whose best work within reach the reports now
    /// show at another team than the one it measures.
    pub target_review: u32,
    /// 1: every report also states the light its team sees where it works (summarised like the
    /// rest, as noisy as the return where reports are noisy, never inflated by a target), and the
    /// decisions that point trees at work (targets, their reviews, and alignment orders) rank the
    /// work within reach by the light the picture shows; 0 (the default): by the return it shows,
    /// which counts a team's wood, soil and litter as well as its light. The same for both levers.
    pub point_by_light: u32,
    /// How far, as a share of the mean, a tree's reported return on effort must differ before a
    /// reallocation moves budget to or from it (and, as a share, how much more per person a team
    /// must report before a reorganization moves people to it).
    pub mandate_band: f64,
    /// Share of the chosen teams a cut of full strength removes (those reporting the lowest return).
    pub cut_share: f64,

    // Attention and stress.
    /// Attention capacity per person.
    pub attention_per_person: f64,
    /// Attention that ordinary work uses, as a share of capacity, at normal effort.
    pub work_load: f64,
    /// Attention a manager spends per tick on each direct report.
    pub report_load: f64,
    /// Attention each link costs both its trees per tick to keep up.
    pub link_load: f64,
    /// Attention, in all, a decision costs the tree it reaches (doubled when trust is zero).
    pub directive_load: f64,
    /// Attention, in all, a manager spends passing one decision on to one direct report.
    pub relay_load: f64,
    /// Attention, in all, a change of a tree's links or manager costs it.
    pub reorg_load: f64,
    /// Attention, in all, that taking in one person moved from another team costs the team
    /// that receives them.
    pub onboarding: f64,
    /// Share of a team's people who move on their own each tick, along a link, to the neighbour
    /// they hear delivering more than `1 + mandate_band` times as much per person. 0 (the
    /// default): people move only when a reorganization moves them.
    pub mobility: f64,
    /// How much the teams working the same place share its light: where the people working
    /// within a tree's reach of where it works are `k` times as many as if everyone were spread
    /// evenly, and `k > 1`, the tree gets `1 / (1 + crowding × (k − 1))` of the light there.
    /// 0 (the default): light is not used up by those under it.
    pub crowding: f64,
    /// Share of a one-off piece of work (a decision, a reorganization) still to do next tick:
    /// it spreads the work's attention over time without changing its total.
    pub load_persistence: f64,
    /// Stress added per unit of attention overload.
    pub stress_rise: f64,
    /// Share of stress that fades per tick with the reference room to breathe.
    pub stress_recovery: f64,
    /// Share of attention capacity a fully stressed tree loses (burnout).
    pub burnout: f64,
    /// Free share of attention at which a tree adapts and recovers at its reference rates.
    pub room: f64,
    /// Share of its attention a tree lets work fill on its own initiative (slack lowers it).
    pub work_ceiling: f64,

    // Practices: how decisions that change how trees work take hold and what they cost.
    /// Share of the gap between a practice's ordered and current level closed per tick.
    pub adoption_rate: f64,
    /// Attention per person, per unit of level, that monitoring a target or holding alignment
    /// meetings costs.
    pub monitor_load: f64,
    /// Attention per person, per unit of level, that open feedback (reviews, open reporting) costs.
    pub open_load: f64,
    /// Attention per person, per unit of level, that looking at the light directly costs.
    pub sense_load: f64,
    /// Attention per person, per unit of clarity still to be gained, that working on values costs.
    pub clarify_load: f64,
    /// Attention per person, per unit of level, that tending the soil (reviews, learning) costs.
    pub soil_load: f64,
    /// Energy per person, per unit of level, that tending the soil (reviews, learning) costs.
    pub soil_cost: f64,
    /// Share of routine effort, and of the attention a tree lets work fill, that full slack removes.
    pub slack_cut: f64,
    /// Share of link and hierarchy delays, and of signal noise, that full open feedback removes.
    pub open_cut: f64,
    /// Extra decomposition, as a multiple of the soil rate, at full enrichment.
    pub soil_boost: f64,
    /// Noise of a tree's own view of the light: drawn evenly within ± this, on the rise in light
    /// across its reach as a share of the light at hand.
    pub sense_noise: f64,
    /// How much of a shortfall against a target a stressed team with unclear values fills by
    /// overstating its report.
    pub gaming: f64,

    // Trust.
    /// How clearly the organization's values are stated, 0 to 1.
    pub values_clarity: f64,
    /// Share of the gap to the clarity being worked toward closed per tick (how much clarity is
    /// worked toward grows with the level of the work on values).
    pub clarity_rate: f64,
    /// Speed at which trust follows the predictability of experienced decisions.
    pub trust_rate: f64,
    /// Trust every tree starts with.
    pub initial_trust: f64,
    /// Extra weight of a decision less predictable than trust expected (losses loom larger),
    /// for every source alike.
    pub negativity_bias: f64,
    /// Energy, per unit of biomass, at which a transfer counts as a fully material decision.
    pub materiality: f64,

    // Adapting to the light.
    /// Speed at which a tree leans toward where it perceives light, with the reference room.
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
            spoilage_rate: 1.0,
            starvation_dieback: 0.02,
            turnover: 0.004,
            sprouting: 0.002,
            mobilization: 0.01,
            runway: 10.0,
            delivery: 8,
            share_rate: 0.5,
            relay: 0.85,
            signal_noise: 0.15,
            report_noise: 0.0,
            capacity_growth: 0.05,
            capacity_decay: 0.01,
            min_capacity: 0.2,
            new_link_delay: 2,
            link_build_cost: 1.0,
            link_upkeep: 0.003,
            soil_rate: 0.02,
            recycling_efficiency: 0.8,
            leaching: 0.002,
            smother: 10.0,
            hop_delay: 2,
            picture_blur: 0.5,
            span_of_detail: 2.0,
            mandate_period: 10,
            target_review: 0,
            point_by_light: 0,
            mandate_band: 0.2,
            cut_share: 0.2,
            attention_per_person: 1.0,
            work_load: 0.55,
            report_load: 0.1,
            link_load: 0.03,
            directive_load: 0.5,
            relay_load: 0.05,
            reorg_load: 3.0,
            onboarding: 10.0,
            mobility: 0.0,
            crowding: 0.0,
            load_persistence: 0.85,
            stress_rise: 0.3,
            stress_recovery: 0.03,
            burnout: 0.2,
            room: 0.3,
            work_ceiling: 0.9,
            adoption_rate: 0.05,
            monitor_load: 0.1,
            open_load: 0.05,
            sense_load: 0.05,
            clarify_load: 0.1,
            soil_load: 0.05,
            soil_cost: 0.01,
            slack_cut: 0.3,
            open_cut: 0.75,
            soil_boost: 3.0,
            sense_noise: 0.3,
            gaming: 1.0,
            values_clarity: 0.3,
            clarity_rate: 0.02,
            trust_rate: 0.05,
            initial_trust: 0.5,
            negativity_bias: 1.0,
            materiality: 0.25,
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

/// One table of every numeric field with its range generates both [`Params::ranges`] and
/// [`Params::set`], so the two cannot drift apart. `u32` fields are set by rounding.
macro_rules! param_table {
    ($($field:ident: $kind:ident in $lo:expr, $hi:expr;)*) => {
        impl Params {
            /// Each numeric field with the range it must lie in, in declaration order.
            pub fn ranges(&self) -> Vec<(&'static str, f64, f64, f64)> {
                vec![$((stringify!($field), self.$field as f64, $lo as f64, $hi as f64)),*]
            }

            /// Sets a numeric field by name (for sensitivity experiments); `false` if there is none.
            pub fn set(&mut self, field: &str, value: f64) -> bool {
                match field {
                    $(stringify!($field) => self.$field = param_table!(@cast $kind value),)*
                    _ => return false,
                }
                true
            }

            /// A numeric field by name.
            pub fn get(&self, field: &str) -> Option<f64> {
                match field {
                    $(stringify!($field) => Some(self.$field as f64),)*
                    _ => None,
                }
            }
        }
    };
    (@cast f64 $value:ident) => { $value };
    (@cast u32 $value:ident) => { $value.round().max(0.0) as u32 };
}

param_table! {
    effort: f64 in 0.0, 1.0;
    spending: f64 in 0.0, 1.0;
    productivity: f64 in 0.0, 1000.0;
    maintenance: f64 in 0.0, 1.0;
    half_saturation: f64 in 1e-6, 1e6;
    nutrient_half: f64 in 1e-6, 1e6;
    growth_rate: f64 in 0.0, 1.0;
    nutrient_per_growth: f64 in 0.0, 10.0;
    reserve: f64 in 0.0, 100.0;
    storage: f64 in 0.0, 1000.0;
    spoilage_rate: f64 in 0.0, 1.0;
    starvation_dieback: f64 in 0.0, 1.0;
    turnover: f64 in 0.0, 1.0;
    sprouting: f64 in 0.0, 1.0;
    mobilization: f64 in 0.0, 1.0;
    runway: f64 in 0.0, 1e4;
    delivery: u32 in 1, MAX_DELIVERY;
    share_rate: f64 in 0.0, 10.0;
    relay: f64 in 0.0, 1.0;
    signal_noise: f64 in 0.0, 1.0;
    report_noise: f64 in 0.0, 10.0;
    capacity_growth: f64 in 0.0, 10.0;
    capacity_decay: f64 in 0.0, 1.0;
    min_capacity: f64 in 0.0, 1000.0;
    new_link_delay: u32 in 1, MAX_DELAY;
    link_build_cost: f64 in 0.0, 1e4;
    link_upkeep: f64 in 0.0, 10.0;
    soil_rate: f64 in 0.0, 1.0;
    recycling_efficiency: f64 in 0.0, 1.0;
    leaching: f64 in 0.0, 1.0;
    smother: f64 in 1e-6, 1e6;
    hop_delay: u32 in 1, MAX_HOP_DELAY;
    picture_blur: f64 in 0.0, 1.0;
    span_of_detail: f64 in 1e-3, 1e6;
    mandate_period: u32 in 1, 10_000;
    target_review: u32 in 0, 10_000;
    point_by_light: u32 in 0, 1;
    mandate_band: f64 in 0.0, 10.0;
    cut_share: f64 in 0.0, 1.0;
    attention_per_person: f64 in 1e-6, 1e6;
    work_load: f64 in 0.0, 10.0;
    report_load: f64 in 0.0, 100.0;
    link_load: f64 in 0.0, 100.0;
    directive_load: f64 in 0.0, 1000.0;
    relay_load: f64 in 0.0, 1000.0;
    reorg_load: f64 in 0.0, 1000.0;
    onboarding: f64 in 0.0, 1000.0;
    mobility: f64 in 0.0, 0.1;
    crowding: f64 in 0.0, 1000.0;
    load_persistence: f64 in 0.0, 0.999;
    stress_rise: f64 in 0.0, 10.0;
    stress_recovery: f64 in 0.0, 1.0;
    burnout: f64 in 0.0, 0.99;
    room: f64 in 1e-3, 1.0;
    work_ceiling: f64 in 0.0, 1.0;
    adoption_rate: f64 in 1e-4, 1.0;
    monitor_load: f64 in 0.0, 100.0;
    open_load: f64 in 0.0, 100.0;
    sense_load: f64 in 0.0, 100.0;
    clarify_load: f64 in 0.0, 100.0;
    soil_load: f64 in 0.0, 100.0;
    soil_cost: f64 in 0.0, 100.0;
    slack_cut: f64 in 0.0, 1.0;
    open_cut: f64 in 0.0, 1.0;
    soil_boost: f64 in 0.0, 100.0;
    sense_noise: f64 in 0.0, 10.0;
    gaming: f64 in 0.0, 10.0;
    values_clarity: f64 in 0.0, 1.0;
    clarity_rate: f64 in 0.0, 1.0;
    trust_rate: f64 in 0.0, 1.0;
    initial_trust: f64 in 0.0, 1.0;
    negativity_bias: f64 in 0.0, 10.0;
    materiality: f64 in 1e-6, 1e6;
    lean_rate: f64 in 0.0, 1.0;
    reach: f64 in 0.0, 0.5;
}

impl Params {
    /// The fields set away from the model's defaults, each as `(field, value, default)`: what a
    /// scene assumes beyond the model.
    pub fn away_from_defaults(&self) -> Vec<(&'static str, f64, f64)> {
        let defaults = Params::default();
        self.ranges()
            .into_iter()
            .filter_map(|(field, value, ..)| {
                let default = defaults.get(field)?;
                (value != default).then_some((field, value, default))
            })
            .collect()
    }

    /// [`Params::away_from_defaults`] as text, `field value (default d)`, comma-separated; empty
    /// where the scene keeps every default.
    pub fn assumptions(&self) -> String {
        self.away_from_defaults()
            .into_iter()
            .map(|(field, value, default)| format!("{field} {value} (default {default})"))
            .collect::<Vec<_>>()
            .join(", ")
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
/// The longest time, in ticks, work may take to deliver.
pub const MAX_DELIVERY: u32 = 256;
/// The longest delay, in ticks, one hop of the hierarchy may have.
pub const MAX_HOP_DELAY: u32 = 32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scene_s_assumptions_are_the_fields_it_moves_from_the_defaults() {
        assert!(Params::default().away_from_defaults().is_empty());
        let shared = Params { crowding: 0.3, hop_delay: 1, ..Default::default() };
        assert_eq!(shared.away_from_defaults(), vec![("hop_delay", 1.0, 2.0), ("crowding", 0.3, 0.0)]);
        assert_eq!(shared.assumptions(), "hop_delay 1 (default 2), crowding 0.3 (default 0)");
    }
}
