//! The inspector: one tree's state, its flows, a sparkline of its recent past, and the causes
//! behind its state now (which interventions, signals and shocks reached it, from where, how late).

use bevy_egui::egui::{self, RichText, Ui};
use egui_plot::{Line, Plot};

use crate::model::{CauseRoute, NONE};

use super::palette;
use super::sim::Sim;

/// Ticks of past shown in the sparkline.
const PAST: usize = 120;

pub fn show(ui: &mut Ui, sim: &Sim, i: usize) {
    let pal = palette::of(ui.ctx());
    let f = &sim.forest;
    let t = &f.trees;
    ui.heading(&t.name[i]);
    if !t.alive[i] {
        ui.label(RichText::new("Cut: this team no longer exists; its wood is litter.").color(pal.breaking.egui()));
    }
    let parent = if t.parent[i] == NONE { "nobody".to_string() } else { t.name[t.parent[i] as usize].clone() };
    // A reorganization moves a share of a team's people, so headcount can be fractional (people
    // shared between teams); whole numbers show as such.
    let people = t.size[i];
    let people = if (people - people.round()).abs() < 0.05 { format!("{people:.0}") } else { format!("{people:.1}") };
    ui.label(format!("{people} people · reports to {parent} · {} direct reports", t.children[i]));
    let load = t.attention_load[i] / t.attention_capacity[i].max(1e-9);
    egui::Grid::new("state").num_columns(2).striped(true).show(ui, |ui| {
        let mut row = |name: &str, value: String, hint: &str| {
            ui.label(name).on_hover_text(hint);
            ui.label(RichText::new(value).monospace());
            ui.end_row();
        };
        row("biomass", format!("{:.2}", t.biomass[i]), "Capability: what the team can do.");
        row("energy", format!("{:.2}", t.energy[i]), "Budget and attention on hand.");
        row("stress", format!("{:.2}", t.stress[i]), "Rises with overload; drops work and blurs signals.");
        row("attention", format!("{:.0}% used", load * 100.0), "Load against capacity; above 100% work is dropped.");
        row("trust", format!("{:.2}", t.trust[i]), "Rises with coherent, predictable decisions.");
        row("light seen", format!("{:.2}", t.light[i]), "Opportunity where the tree reaches.");
        row("value real", format!("{:.3}", t.value_real[i]), "Value actually delivered this tick.");
        row("value reported", format!("{:.3}", t.value_reported[i]), "What it reported upward.");
        row("litter", format!("{:.2}", t.litter[i]), "Dropped work and dead wood at its foot.");
        row("nutrients", format!("{:.2}", t.nutrients[i]), "Recycled learning available to grow.");
        row("lean", format!("{:+.2}", t.lean[i]), "Toward where it believes the light is (−1 left, +1 right).");
        row(
            "decision age",
            format!("{:.1} ticks", t.decision_age[i]),
            "How old the information behind what it received is.",
        );
    });
    ui.add_space(6.0);
    ui.label(RichText::new("Flows this tick").strong());
    ui.label(format!(
        "in {:.3} · out {:.3} · mandated {:+.3} · litterfall {:.3}",
        t.inflow[i], t.outflow[i], t.mandated[i], t.litterfall[i]
    ));
    let links = &f.links;
    let mut mine: Vec<(usize, f64)> = (0..links.len())
        .filter_map(|l| {
            if links.a[l] as usize == i {
                Some((l, -links.flow[l]))
            } else if links.b[l] as usize == i {
                Some((l, links.flow[l]))
            } else {
                None
            }
        })
        .collect();
    mine.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    egui::Grid::new("links").num_columns(3).show(ui, |ui| {
        for &(l, inward) in mine.iter().take(8) {
            let other = if links.a[l] as usize == i { links.b[l] } else { links.a[l] } as usize;
            ui.label(&t.name[other]);
            let arrow = if inward >= 0.0 { "in" } else { "out" };
            ui.label(RichText::new(format!("{arrow} {:.3}", inward.abs())).monospace());
            ui.label(RichText::new(format!("delay {}", links.effective_delay[l])).weak());
            ui.end_row();
        }
    });
    if mine.len() > 8 {
        ui.label(RichText::new(format!("and {} more links", mine.len() - 8)).weak());
    }
    ui.add_space(6.0);
    // The legend above the lines, as on the main plot, so that it hides none of them.
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Recent past").strong())
            .on_hover_text("What the tree signalled, reported and saw, tick by tick.");
        ui.label(RichText::new("light").color(pal.light.egui()));
        ui.label(RichText::new("signalled").color(pal.signal.egui()));
        ui.label(RichText::new("reported").color(pal.order.egui()));
    });
    let past = f.past_of(i, PAST);
    Plot::new(("spark", i))
        .show_background(false)
        .height(90.0)
        .show_axes([false, true])
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |plot| {
            let series = |pick: fn(&crate::model::PastTick) -> f32| -> Vec<[f64; 2]> {
                past.iter().map(|p| [p.tick as f64, pick(p) as f64]).collect()
            };
            plot.line(Line::new("light", series(|p| p.light)).color(pal.light.egui()));
            plot.line(Line::new("signalled", series(|p| p.signal)).color(pal.signal.egui()));
            plot.line(Line::new("reported", series(|p| p.reported)).color(pal.order.egui()));
            // Where the roads part, as on every plot.
            if let Some(at) = sim.branch_tick().filter(|&t| t <= sim.forest.tick) {
                plot.vline(super::plots::branch_mark(pal, at));
            }
        });
    ui.add_space(6.0);
    ui.label(RichText::new("Why it looks like this").strong());
    if t.causes[i].is_empty() {
        ui.label(
            RichText::new(
                "Nothing has reached it yet: its state comes from its own light, its neighbours and its soil.",
            )
            .weak(),
        );
    }
    // The same cause repeating (an order re-sent every few ticks) is one line with a count.
    let mut groups: Vec<(crate::model::Cause, u32)> = Vec::new();
    for c in t.causes[i].iter().rev() {
        match groups.last_mut() {
            Some((last, n)) if last.kind == c.kind && last.route == c.route && last.from == c.from => *n += 1,
            _ => groups.push((*c, 1)),
        }
    }
    for (c, repeats) in groups {
        let from = match (c.from, c.route) {
            (NONE, CauseRoute::Shock) => "the weather".to_string(),
            (NONE, _) => "leadership".to_string(),
            (tree, _) => t.name[tree as usize].clone(),
        };
        let how = match c.route {
            CauseRoute::Directive => "order came down the hierarchy",
            CauseRoute::Condition => "condition began to hold",
            CauseRoute::Shock => "shock struck",
            CauseRoute::Spread => "spread along a link",
            CauseRoute::Reorganized => "links or reporting lines changed",
            CauseRoute::PeopleMoved => "people moved",
            CauseRoute::PeopleDrifted => "people moved on their own",
            CauseRoute::NeighbourCut => "a neighbour was cut",
        };
        let what = match c.route {
            CauseRoute::PeopleMoved | CauseRoute::PeopleDrifted if c.from != NONE => {
                format!("{how} between it and {from}")
            }
            _ => format!("{how}, from {from}"),
        };
        let ago = f.tick.saturating_sub(c.tick);
        let times = if repeats > 1 { format!(" ({repeats}× recently)") } else { String::new() };
        let text = match c.kind {
            Some(kind) => format!(
                "{}{times} — {what}; arrived {} after issue, {} ago",
                kind.label(),
                ticks(c.delay as u64),
                ticks(ago)
            ),
            // Nobody decided it: people followed what a neighbour said along their link.
            None => format!("No decision — {what}; last {} ago", ticks(ago)),
        };
        let colour = c.kind.map_or(pal.signal, |kind| pal.style(kind.style()));
        ui.label(RichText::new(text).color(colour.egui()));
    }
    let stressed = load > 1.0;
    let starving = t.energy[i] < f.params.reserve * t.biomass[i];
    ui.add_space(4.0);
    if stressed {
        ui.label("• Overloaded: more asked of it than its attention allows, so it drops work (falling leaves).");
    }
    if starving {
        ui.label("• Short of energy: below its reserve; it asks its neighbours through its signals.");
    }
    if t.trust[i] < 0.35 {
        ui.label("• Low trust: its signals are blurred and its links carry less.");
    }
}

/// "1 tick", "0 ticks", "12 ticks".
fn ticks(n: u64) -> String {
    if n == 1 { "1 tick".to_string() } else { format!("{n} ticks") }
}
