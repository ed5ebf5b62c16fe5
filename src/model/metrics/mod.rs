//! What the forest reports each tick: the metrics (CSV columns) and the resource ledger.
//! The pass that measures them is `measure.rs`.

mod measure;

/// Metrics of one tick. The first eleven fields are the documented CSV columns.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Metrics {
    pub tick: u64,
    /// Living biomass, discounted by stress, relative to the biomass at the start.
    pub vitality: f64,
    /// Real value produced this tick (what the light actually paid back).
    pub value_real: f64,
    /// Value the trees reported upward this tick.
    pub value_reported: f64,
    /// Litter lying on the ground.
    pub litter: f64,
    /// Litter recycled as a share of litter falling (moving averages), 0 to 1.
    pub recycled_share: f64,
    /// Mean trust of the living trees, 0 to 1.
    pub trust: f64,
    /// Overlap of the distribution of resources with the distribution of light, 0 to 1.
    pub alignment: f64,
    /// Mean age, in ticks, of the signals behind the latest allocation each tree experienced.
    pub feedback_delay: f64,
    /// Share of living trees whose attention is overloaded.
    pub overload_share: f64,
    /// Hoover index of biomass: the share that would have to move for all trees to be equal.
    pub inequality: f64,
    // Extra columns.
    pub biomass: f64,
    pub energy: f64,
    pub nutrients: f64,
    pub stress: f64,
    pub alive: u32,
    /// sources − sinks − change in stocks, this tick (zero up to rounding).
    pub ledger_residual: f64,
}

/// CSV header, in column order.
pub const COLUMNS: [&str; 17] = [
    "tick",
    "vitality",
    "value_real",
    "value_reported",
    "litter",
    "recycled_share",
    "trust",
    "alignment",
    "feedback_delay",
    "overload_share",
    "inequality",
    "biomass",
    "energy",
    "nutrients",
    "stress",
    "alive",
    "ledger_residual",
];

impl Metrics {
    /// The row's values as text, in `COLUMNS` order. Floats print in Rust's shortest exact form.
    pub fn csv_fields(&self) -> [String; 17] {
        [
            self.tick.to_string(),
            self.vitality.to_string(),
            self.value_real.to_string(),
            self.value_reported.to_string(),
            self.litter.to_string(),
            self.recycled_share.to_string(),
            self.trust.to_string(),
            self.alignment.to_string(),
            self.feedback_delay.to_string(),
            self.overload_share.to_string(),
            self.inequality.to_string(),
            self.biomass.to_string(),
            self.energy.to_string(),
            self.nutrients.to_string(),
            self.stress.to_string(),
            self.alive.to_string(),
            self.ledger_residual.to_string(),
        ]
    }

    /// A metric by its CSV column name, for plots and comparisons.
    pub fn get(&self, column: &str) -> Option<f64> {
        Some(match column {
            "tick" => self.tick as f64,
            "vitality" => self.vitality,
            "value_real" => self.value_real,
            "value_reported" => self.value_reported,
            "litter" => self.litter,
            "recycled_share" => self.recycled_share,
            "trust" => self.trust,
            "alignment" => self.alignment,
            "feedback_delay" => self.feedback_delay,
            "overload_share" => self.overload_share,
            "inequality" => self.inequality,
            "biomass" => self.biomass,
            "energy" => self.energy,
            "nutrients" => self.nutrients,
            "stress" => self.stress,
            "alive" => self.alive as f64,
            "ledger_residual" => self.ledger_residual,
            _ => return None,
        })
    }

    /// Bits of every field, for determinism hashes.
    pub fn bits(&self) -> impl Iterator<Item = u64> {
        let m = self;
        [
            m.tick,
            m.vitality.to_bits(),
            m.value_real.to_bits(),
            m.value_reported.to_bits(),
            m.litter.to_bits(),
            m.recycled_share.to_bits(),
            m.trust.to_bits(),
            m.alignment.to_bits(),
            m.feedback_delay.to_bits(),
            m.overload_share.to_bits(),
            m.inequality.to_bits(),
            m.biomass.to_bits(),
            m.energy.to_bits(),
            m.nutrients.to_bits(),
            m.stress.to_bits(),
            m.alive as u64,
        ]
        .into_iter()
    }
}

/// The tick's resource accounts. Energy, biomass, litter, nutrients and the leadership's
/// reallocation pool are one conserved resource in different forms.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Ledger {
    pub stocks_before: f64,
    pub stocks_after: f64,
    /// Energy paid back by the light.
    pub production: f64,
    /// Effort consumed by work actually done.
    pub work: f64,
    /// Energy and biomass burned to keep trees alive.
    pub maintenance: f64,
    /// Decomposed litter that did not become nutrients.
    pub decomposition_loss: f64,
    /// Nutrients washed out of the soil.
    pub leaching: f64,
    /// Energy spent tending the soil (reviews, learning).
    pub tending: f64,
    /// Energy spent building and keeping links.
    pub links: f64,
}

impl Ledger {
    pub fn sources(&self) -> f64 {
        self.production
    }

    pub fn sinks(&self) -> f64 {
        self.work + self.maintenance + self.decomposition_loss + self.leaching + self.tending + self.links
    }

    /// sources − sinks − change in stocks.
    pub fn residual(&self) -> f64 {
        self.sources() - self.sinks() - (self.stocks_after - self.stocks_before)
    }

    /// Whether the residual is within float rounding of the amounts involved.
    pub fn balances(&self) -> bool {
        let scale = self.stocks_before.abs().max(self.stocks_after.abs()).max(self.sources()).max(1.0);
        self.residual().abs() <= 1e-9 * scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_match_fields() {
        let m = Metrics { tick: 3, vitality: 0.5, ..Default::default() };
        assert_eq!(m.csv_fields().len(), COLUMNS.len());
        for c in COLUMNS {
            assert!(m.get(c).is_some(), "{c}");
        }
        assert_eq!(m.get("vitality"), Some(0.5));
    }
}
