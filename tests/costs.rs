//! Every intervention pays for what it does: in a forest where it has nothing to fix, it shows
//! its cost in the model's own currencies (energy, attention, output), against the same forest,
//! same seed, without it.

use understory::model::{
    Forest, Intervention, InterventionKind, LightConfig, LinkInit, NONE, Params, Selection, Style, TeamInit,
};

/// A settled forest with nothing to fix: even light, teams alike, short links, one hop to the
/// lead, run until its budgets and wood have settled.
fn settled(params: Params) -> Forest {
    let mut teams = vec![TeamInit { name: "lead".into(), x: 0.5, size: 6.0, parent: NONE, biomass: 6.0, energy: None }];
    for i in 0..12 {
        teams.push(TeamInit {
            name: format!("t{i}"),
            x: (i as f64 + 0.5) / 12.0,
            size: 6.0,
            parent: 0,
            biomass: 6.0,
            energy: None,
        });
    }
    let links = (1..12u32).map(|i| LinkInit { a: i, b: i + 1, delay: 1, capacity: 1.0 }).collect();
    let light = LightConfig { ambient: 1.2, patches: 0, drift: 0.0, change: 0.0, jump: 0.0, ..Default::default() };
    let mut f = Forest::new(teams, links, params, light, 3).expect("valid");
    for _ in 0..600 {
        f.step();
    }
    f
}

/// What a forest paid and delivered over `ticks` ticks.
#[derive(Debug, Clone, Copy, Default)]
struct Outcome {
    /// Real value delivered.
    value: f64,
    /// Attention used, summed over trees and ticks.
    attention: f64,
    /// Energy spent tending the soil and building and keeping links.
    energy: f64,
    /// Effort spent on work.
    work: f64,
}

fn outcome(mut f: Forest, ticks: u64) -> Outcome {
    let mut o = Outcome::default();
    for _ in 0..ticks {
        f.step();
        o.value += f.metrics.value_real;
        o.attention += f.trees.attention_load.iter().sum::<f64>();
        o.energy += f.ledger.tending + f.ledger.links;
        o.work += f.ledger.work;
    }
    o
}

/// In a forest where it cannot pay, the intervention against the same forest without it: the
/// real value it delivered, and what it cost in attention, in energy, and in work not done.
fn compare(kind: InterventionKind, params: Params) -> (Outcome, Outcome) {
    let base = settled(params);
    let mut with = base.clone();
    with.intervene(Intervention { kind, strength: 0.5, duration: 10_000, on: Selection::All });
    (outcome(base, 300), outcome(with, 300))
}

#[test]
fn every_intervention_costs_something_and_where_it_has_nothing_to_fix_it_does_not_pay() {
    use InterventionKind::*;
    println!("in a forest where it cannot pay, against the same forest without it:");
    println!("{:18} {:>9} {:>11} {:>8} {:>9}", "", "value", "attention", "energy", "work");
    let mut failures = Vec::new();
    // Every decision leadership can take, so that a new one is held to this too.
    for kind in InterventionKind::ALL.into_iter().filter(|k| k.style() != Style::Shock) {
        // Soil limits every forest that grows; where the soil already turns all its litter into
        // nutrients every tick, tending it has nothing to give.
        let params =
            if kind == EnrichSoil { Params { soil_rate: 1.0, ..Default::default() } } else { Params::default() };
        let (a, b) = compare(kind, params);
        let pct = |x: f64, y: f64| 100.0 * (y - x) / x.abs().max(1e-9);
        println!(
            "{:18} {:+8.2}% {:+10.2}% {:+8.1} {:+8.2}%",
            kind.label(),
            pct(a.value, b.value),
            pct(a.attention, b.attention),
            b.energy - a.energy,
            pct(a.work, b.work)
        );
        let paid = b.attention > a.attention || b.energy > a.energy + 1e-9 || b.work < a.work;
        if !paid {
            failures.push(format!("{} paid nothing", kind.label()));
        }
        if b.value > a.value {
            failures.push(format!("{} paid off where there was nothing to fix", kind.label()));
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}
