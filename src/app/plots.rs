//! Live plots of the metrics (egui_plot), with interventions and shocks marked on the time axis.

use bevy_egui::egui::Ui;
use egui_plot::{Legend, Line, Plot, VLine};

use crate::model::Metrics;

use super::compare::Twin;
use super::palette;
use super::sim::Sim;

/// Points drawn per line at most; longer histories are thinned evenly.
const MAX_POINTS: usize = 500;

/// Which metrics are plotted.
#[derive(Debug, Clone)]
pub struct PlotChoice {
    pub shown: Vec<(&'static str, bool)>,
}

impl Default for PlotChoice {
    fn default() -> Self {
        let on = ["vitality", "value_real", "value_reported", "trust", "alignment"];
        let all = [
            "vitality",
            "value_real",
            "value_reported",
            "trust",
            "alignment",
            "litter",
            "recycled_share",
            "feedback_delay",
            "overload_share",
            "inequality",
            "stress",
        ];
        Self { shown: all.into_iter().map(|m| (m, on.contains(&m))).collect() }
    }
}

/// Metrics that are not shares (0 to 1) are shown divided by their largest value so far, so
/// that all fit one plot and each one's rise and fall reads at a glance.
fn scaled(metric: &str) -> bool {
    matches!(metric, "vitality" | "value_real" | "value_reported" | "litter" | "feedback_delay" | "stress")
}

pub fn show(ui: &mut Ui, sim: &Sim, choice: &mut PlotChoice) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Plot:");
        for (name, on) in choice.shown.iter_mut() {
            ui.checkbox(on, *name);
        }
    });
    let marks: Vec<String> = sim.marks().rev().take(8).map(|(t, iv)| format!("{t} {}", iv.kind.label())).collect();
    if !marks.is_empty() {
        ui.label(
            bevy_egui::egui::RichText::new(format!("Vertical marks, newest first: {}", marks.join(" · ")))
                .small()
                .weak(),
        );
    }
    let history = &sim.history;
    let stride = history.len().div_ceil(MAX_POINTS).max(1);
    let colours = [
        palette::get().calm,
        palette::get().resource,
        palette::get().order,
        palette::get().signal,
        palette::style(crate::model::Style::Shock),
        palette::get().litter,
        palette::get().nutrient,
        palette::get().command,
        palette::get().breaking,
        palette::get().strained,
        palette::get().root,
    ];
    Plot::new("metrics")
        .show_background(false)
        .legend(Legend::default())
        .allow_scroll(false)
        .y_axis_label("share, or ÷ its max")
        .show(ui, |plot| {
            for (k, (name, on)) in choice.shown.iter().enumerate() {
                if !*on {
                    continue;
                }
                let mut points: Vec<[f64; 2]> = history
                    .iter()
                    .step_by(stride)
                    .chain(history.last())
                    .filter_map(|m: &Metrics| m.get(name).map(|v| [m.tick as f64, v]))
                    .collect();
                let largest = points.iter().fold(0.0f64, |a, p| a.max(p[1].abs()));
                let scale = if scaled(name) && largest > 1e-12 { 1.0 / largest } else { 1.0 };
                points.iter_mut().for_each(|p| p[1] *= scale);
                let label = if scale != 1.0 { format!("{name} (÷ max)") } else { name.to_string() };
                plot.line(Line::new(label, points).color(colours[k % colours.len()].egui()).width(1.6));
            }
            for (tick, iv) in sim.marks() {
                let colour = palette::style(iv.kind.style()).egui().gamma_multiply(0.7);
                // Unnamed, so the legend lists only the metrics; the text below the plot names the marks.
                plot.vline(VLine::new("", *tick as f64).color(colour).width(1.0));
            }
        });
}

/// Comparing: the chosen metric for both forests and their difference (right − left). Returns a
/// newly chosen metric.
pub fn show_difference(ui: &mut Ui, left: &Sim, twin: &Twin) -> Option<String> {
    let right = &twin.sim;
    let mut chosen = None;
    let left_name = left.timeline_name.as_deref().unwrap_or("left");
    let right_name = twin.timeline();
    ui.horizontal(|ui| {
        ui.label("Compare on");
        bevy_egui::egui::ComboBox::from_id_salt("metric").selected_text(twin.metric.as_str()).show_ui(ui, |ui| {
            for name in crate::model::COLUMNS.iter().skip(1) {
                if ui.selectable_label(twin.metric == *name, *name).clicked() {
                    chosen = Some(name.to_string());
                }
            }
        });
        ui.label(format!("— {right_name} minus {left_name}, same seed, same clock"));
    });
    let metric = twin.metric.as_str();
    let series = |history: &[Metrics]| -> Vec<[f64; 2]> {
        let stride = history.len().div_ceil(MAX_POINTS).max(1);
        history
            .iter()
            .step_by(stride)
            .chain(history.last())
            .filter_map(|m| m.get(metric).map(|v| [m.tick as f64, v]))
            .collect()
    };
    let n = left.history.len().min(right.history.len());
    let stride = n.div_ceil(MAX_POINTS).max(1);
    let difference: Vec<[f64; 2]> = (0..n)
        .step_by(stride)
        .filter_map(|k| {
            let (a, b) = (&left.history[k], &right.history[k]);
            Some([a.tick as f64, b.get(metric)? - a.get(metric)?])
        })
        .collect();
    Plot::new("difference").show_background(false).legend(Legend::default()).allow_scroll(false).show(ui, |plot| {
        plot.line(
            Line::new(format!("{metric}: {left_name}"), series(&left.history)).color(palette::get().signal.egui()),
        );
        plot.line(
            Line::new(format!("{metric}: {right_name}"), series(&right.history)).color(palette::get().resource.egui()),
        );
        plot.line(
            Line::new(format!("{right_name} − {left_name}"), difference).color(palette::get().text.egui()).width(2.5),
        );
    });
    chosen
}
