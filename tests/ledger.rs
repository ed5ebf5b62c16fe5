//! The exact ledger: sources − sinks − change in stocks = 0 every tick, over a long run of the
//! large scene with every intervention and shock applied at some point.

use understory::model::{Intervention, InterventionKind, Selection};
use understory::scene::LoadedScene;

#[test]
fn ledger_balances_every_tick_over_100k_ticks_with_every_intervention() {
    let scene = LoadedScene::from_path("scenes/large-changing.ron".as_ref()).expect("shipped scene loads");
    let mut forest = scene.forest(None).expect("builds");
    let kinds = InterventionKind::ALL;
    let some_teams = Selection::Trees((0..forest.team_count() as u32).step_by(7).collect());
    let mut worst: f64 = 0.0;
    for tick in 0..100_000u64 {
        // Every kind in turn, every 2,000 ticks, alternately on all trees and on a chosen set.
        if tick % 2_000 == 100 {
            let k = (tick / 2_000) as usize;
            let on = if k.is_multiple_of(2) { Selection::All } else { some_teams.clone() };
            forest.intervene(Intervention { kind: kinds[k % kinds.len()], strength: 0.5, duration: 600, on });
        }
        forest.step();
        let l = forest.ledger;
        assert!(
            l.balances(),
            "ledger off at tick {tick}: residual {} (sources {}, sinks {}, stocks {} -> {})",
            l.residual(),
            l.sources(),
            l.sinks(),
            l.stocks_before,
            l.stocks_after
        );
        worst = worst.max(l.residual().abs() / l.stocks_after.max(1.0));
    }
    let used: std::collections::BTreeSet<_> = forest.issued.iter().map(|(_, iv)| iv.kind).collect();
    assert_eq!(used.len(), kinds.len(), "every intervention and shock was applied");
    println!("ledger: 100000 ticks, worst relative residual {worst:e}");
}
