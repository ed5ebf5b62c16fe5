//! "Waste gets reused": the soil turns litter into nutrients at its rate (faster where it is
//! tended); the rest of what decomposes is lost, and unused nutrients slowly wash out.

use crate::model::forest::Forest;
use crate::model::metrics::Ledger;

#[inline(always)]
pub(super) fn recycle(f: &mut Forest, ledger: &mut Ledger) {
    let p = &f.params;
    let t = &mut f.trees;
    let n = t.x.len();
    let litter = &mut t.litter[..n];
    let litterfall = &t.litterfall[..n];
    let nutrients = &mut t.nutrients[..n];
    // The soil is tended as far as the trees paid for it (`energy::maintain`).
    let tended = &f.scratch.tended[..n];
    let mut fall = 0.0;
    let mut recycled = 0.0;
    for i in 0..n {
        let rate = (p.soil_rate * (1.0 + p.soil_boost * tended[i])).min(1.0);
        let decomposed = rate * litter[i];
        litter[i] -= decomposed;
        let kept = decomposed * p.recycling_efficiency;
        nutrients[i] += kept;
        ledger.decomposition_loss += decomposed - kept;
        let leached = p.leaching * nutrients[i].max(0.0);
        nutrients[i] -= leached;
        ledger.leaching += leached;
        recycled += kept;
        fall += litterfall[i];
    }
    const AVERAGING: f64 = 0.05;
    f.litterfall_avg += AVERAGING * (fall - f.litterfall_avg);
    f.recycled_avg += AVERAGING * (recycled - f.recycled_avg);
}
