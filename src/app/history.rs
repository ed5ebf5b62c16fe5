//! The metrics of every tick so far, for the plots and the heads-up display: exact for the
//! newest ticks and thinned further back, so a workshop that runs for hours keeps flat memory.

use crate::model::Metrics;

/// Ticks kept exactly, the newest; each time the history reaches twice this many rows, the
/// older ones are thinned evenly to half as many, so it never holds more.
pub const EXACT: usize = 16_384;

/// Metrics in tick order, one row a tick, the first tick always kept.
#[derive(Debug, Clone, Default)]
pub struct History {
    rows: Vec<Metrics>,
    /// Ticks between the rows kept before the newest `EXACT`.
    stride: u64,
}

impl History {
    pub fn new(first: Metrics) -> Self {
        Self { rows: vec![first], stride: 1 }
    }

    /// Adds the newest row. A row of the tick the newest already has replaces it: a forest's
    /// opening state and its first tick's measure both carry tick 0, and the opening's "value
    /// delivered this tick" is 0 only because no tick has run, which a plot would draw as a drop.
    pub fn push(&mut self, row: Metrics) {
        if let Some(newest) = self.rows.last_mut()
            && newest.tick == row.tick
        {
            *newest = row;
            return;
        }
        self.rows.push(row);
        if self.rows.len() >= 2 * EXACT {
            self.thin();
        }
    }

    /// Spaces the rows older than the newest `EXACT` evenly, at most `EXACT / 2` of them, keeping
    /// the first.
    fn thin(&mut self) {
        let first = self.rows[0].tick;
        let recent = self.rows[self.rows.len() - EXACT].tick;
        while (recent - first) / self.stride > EXACT as u64 / 2 {
            self.stride *= 2;
        }
        let stride = self.stride;
        self.rows.retain(|m| m.tick >= recent || (m.tick - first).is_multiple_of(stride));
    }

    /// The row of `tick`, or where that tick was thinned away the nearest kept one before it.
    pub fn at(&self, tick: u64) -> Option<&Metrics> {
        let after = self.rows.partition_point(|m| m.tick <= tick);
        after.checked_sub(1).map(|k| &self.rows[k])
    }
}

impl std::ops::Deref for History {
    type Target = [Metrics];
    fn deref(&self) -> &[Metrics] {
        &self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tick(t: u64) -> Metrics {
        Metrics { tick: t, ..Default::default() }
    }

    #[test]
    fn a_long_run_keeps_the_start_and_the_newest_ticks_exactly_in_bounded_memory() {
        let mut h = History::new(tick(0));
        for t in 1..=200_000 {
            h.push(tick(t));
            assert!(h.len() < 2 * EXACT);
        }
        assert_eq!(h.at(0).unwrap().tick, 0);
        assert_eq!(h.last().unwrap().tick, 200_000);
        for t in 200_000 - EXACT as u64 + 1..=200_000 {
            assert_eq!(h.at(t).unwrap().tick, t, "the newest ticks are exact");
        }
        assert!(h.windows(2).all(|w| w[0].tick < w[1].tick), "still in tick order");
        let far = h.at(50_001).unwrap().tick;
        let widest = h.windows(2).map(|w| w[1].tick - w[0].tick).max().unwrap();
        // Evenly: about EXACT / 2 rows over the older ticks, so no gap is more than twice that spacing.
        assert!(widest as usize <= 4 * 200_000 / EXACT, "rows {widest} ticks apart");
        assert!(far <= 50_001 && far + widest > 50_001, "far back, the nearest kept tick before: {far}");
    }

    #[test]
    fn the_first_tick_replaces_the_opening_state_it_shares_a_tick_with() {
        let mut h = History::new(tick(0));
        h.push(Metrics { value_real: 34.0, ..tick(0) });
        h.push(tick(1));
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].value_real, 34.0);
        assert!(h.windows(2).all(|w| w[0].tick < w[1].tick));
    }

    #[test]
    fn a_short_run_is_kept_whole() {
        let mut h = History::new(tick(0));
        for t in 1..=1_000 {
            h.push(tick(t));
        }
        assert_eq!(h.len(), 1_001);
        assert_eq!(h.at(500).unwrap().tick, 500);
        assert!(History::default().at(3).is_none());
    }
}
