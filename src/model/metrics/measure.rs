//! The metrics pass: one tick's metrics from the forest's state. Alignment compares resources
//! with the light itself, so it is measured, never set.

use super::{Ledger, Metrics};
use crate::model::forest::Forest;

const EPS: f64 = 1e-9;

impl Forest {
    /// Metrics of the current state. Closes the ledger: its stocks after the tick are the
    /// totals summed here.
    #[inline(always)] // Compiled into each CPU variant of `step`.
    pub(crate) fn measure(&self, ledger: &mut Ledger) -> Metrics {
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
        ledger.stocks_after = total_energy + self.pool + total_biomass + total_litter + total_nutrients;
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
}
