//! Plain-text descriptions of the forest, for the command line's `inspect` and for debugging.

use std::fmt::Write;

use super::forest::{CauseRoute, Forest, NONE};

/// A table of every tree's state and the causes that reached it.
pub fn describe(forest: &Forest) -> String {
    let t = &forest.trees;
    let mut out = format!(
        "tick {} seed {} pool {:.2}\n{:<16} {:>5} {:>7} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}\n",
        forest.tick,
        forest.seed,
        forest.pool,
        "tree",
        "x",
        "biomass",
        "energy",
        "litter",
        "nutri",
        "light",
        "yield",
        "signal",
        "stress",
        "trust",
        "load",
        "in",
        "out"
    );
    for i in 0..t.x.len() {
        let _ = writeln!(
            out,
            "{:<16} {:>5.2} {:>7.2} {:>7.2} {:>7.2} {:>7.2} {:>6.2} {:>6.2} {:>6.2} {:>6.2} {:>6.2} {:>6.2} {:>6.2} {:>6.2}{}",
            truncate(&t.name[i], 16),
            t.x[i],
            t.biomass[i],
            t.energy[i],
            t.litter[i],
            t.nutrients[i],
            t.light[i],
            t.yield_[i],
            t.signal[i],
            t.stress[i],
            t.trust[i],
            t.attention_load[i] / t.attention_capacity[i].max(1e-9),
            t.inflow[i],
            t.outflow[i],
            if t.alive[i] { "" } else { "  (cut)" }
        );
        for c in &t.causes[i] {
            let from =
                if c.from == NONE { "leadership/environment".to_string() } else { t.name[c.from as usize].clone() };
            let route = match c.route {
                CauseRoute::Directive => "directive",
                CauseRoute::Condition => "condition",
                CauseRoute::Shock => "shock",
                CauseRoute::Spread => "spread",
                CauseRoute::Reorganized => "reorganized",
                CauseRoute::PeopleMoved => "people moved",
                CauseRoute::PeopleDrifted => "people moved on their own",
                CauseRoute::NeighbourCut => "neighbour cut",
            };
            let kind = c.kind.map_or("no decision", |k| k.label());
            let whence = match c.route {
                CauseRoute::PeopleMoved | CauseRoute::PeopleDrifted => "between it and",
                _ => "from",
            };
            let _ = writeln!(out, "    tick {:>6}: {kind} ({route}) {whence} {from}, delay {}", c.tick, c.delay);
        }
    }
    out
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
