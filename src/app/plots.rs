//! Live plots of the metrics (egui_plot), with interventions and shocks marked on the time axis,
//! and the compact strips drawn over the forest while presenting.

use bevy_egui::egui::{self, Color32, FontId, Painter, Rect, Stroke, Ui};
use egui_plot::{Line, Plot, VLine};

use crate::model::Metrics;

use super::compare::Twin;
use super::palette::{self, Palette};
use super::sim::Sim;

/// Points drawn per line at most; longer histories are thinned evenly.
const MAX_POINTS: usize = 500;

/// Ticks the time axis spans at least, so that the first ticks grow from the left instead of a
/// single point sitting on an axis from −0.5 to 0.5.
const EARLIEST_SPAN: f64 = 50.0;

/// Every metric a plot offers, in the order its colours are given.
const PLOTTED: [&str; 11] = [
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

/// A plot of metrics over ticks, as the bottom panel draws them: on the window's own background,
/// the wheel left to the panel's scrolling, and the time axis at least from 0 to `EARLIEST_SPAN`.
fn time_plot(id: &str) -> Plot<'static> {
    Plot::new(id).show_background(false).allow_scroll(false).include_x(0.0).include_x(EARLIEST_SPAN)
}

/// The colour a metric is drawn in, the same in every plot.
fn metric_colour(pal: &Palette, metric: &str) -> Color32 {
    let k = PLOTTED.iter().position(|m| *m == metric).unwrap_or(PLOTTED.len());
    pal.plot[k % pal.plot.len()].egui()
}

/// A metric's name in words: "value_real" reads "real value".
pub fn metric_words(metric: &str) -> String {
    match metric {
        "value_real" => "real value".to_string(),
        "value_reported" => "reported value".to_string(),
        other => other.replace('_', " "),
    }
}

/// Which metrics are plotted.
#[derive(Debug, Clone)]
pub struct PlotChoice {
    pub shown: Vec<(&'static str, bool)>,
}

impl Default for PlotChoice {
    fn default() -> Self {
        let on = ["vitality", "value_real", "value_reported", "trust", "alignment"];
        Self { shown: PLOTTED.into_iter().map(|m| (m, on.contains(&m))).collect() }
    }
}

/// Metrics that are not shares (0 to 1) are shown divided by their largest value so far, so
/// that all fit one plot and each one's rise and fall reads at a glance.
fn scaled(metric: &str) -> bool {
    matches!(metric, "vitality" | "value_real" | "value_reported" | "litter" | "feedback_delay" | "stress")
}

pub fn show(ui: &mut Ui, sim: &Sim, choice: &mut PlotChoice) {
    let pal = palette::of(ui.ctx());
    let history = &sim.history;
    let lines: Vec<(String, Color32, Vec<[f64; 2]>)> = choice
        .shown
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| {
            let mut points = points(history, name, MAX_POINTS);
            let largest = points.iter().fold(0.0f64, |a, p| a.max(p[1].abs()));
            let scale = if scaled(name) && largest > 1e-12 { 1.0 / largest } else { 1.0 };
            points.iter_mut().for_each(|p| p[1] *= scale);
            let label = if scale != 1.0 {
                format!("{} (÷ {})", metric_words(name), round3(largest))
            } else {
                metric_words(name)
            };
            (label, metric_colour(pal, name), points)
        })
        .collect();
    // The choice and the legend above the plot, so that no line hides behind them and even a
    // short panel leaves room for the plot itself.
    ui.horizontal_wrapped(|ui| {
        let on = lines.len();
        ui.menu_button(format!("Plot: {on} of {}", choice.shown.len()), |ui| {
            for (name, on) in choice.shown.iter_mut() {
                ui.checkbox(on, metric_words(name));
            }
        })
        .response
        .on_hover_text("Choose the metrics. Shares run 0 to 1; the others are divided by their largest value.");
        for (label, colour, _) in &lines {
            ui.label(egui::RichText::new(label).color(*colour));
        }
    });
    let marks: Vec<String> = sim.marks().rev().take(6).map(|(t, iv)| format!("{t} {}", iv.kind.label())).collect();
    if !marks.is_empty() {
        ui.add(
            egui::Label::new(egui::RichText::new(format!("Marks, newest first: {}", marks.join(" · "))).small().weak())
                .truncate(),
        );
    }
    // Every line here is a share or divided by its largest, so the scale is 0 to 1 whatever the
    // lines do: fitted to them, a line at 0.4 would sit on the floor and read as none.
    time_plot("metrics").include_y(0.0).include_y(1.0).show(ui, |plot| {
        for (label, colour, points) in lines {
            plot.line(Line::new(label, points).color(colour).width(1.6));
        }
        for (tick, iv) in sim.marks() {
            let colour = pal.style(iv.kind.style()).egui().gamma_multiply(0.7);
            plot.vline(VLine::new("", *tick as f64).color(colour).width(1.0));
        }
        if let Some(at) = sim.branch_tick().filter(|&t| t <= sim.forest.tick) {
            plot.vline(branch_mark(pal, at));
        }
    });
}

/// Where the roads part, on every plot: a wide dashed line named for it.
pub fn branch_mark(pal: &Palette, at: u64) -> VLine {
    VLine::new(format!("branch at tick {at}"), at as f64)
        .color(pal.text.egui())
        .width(2.0)
        .style(egui_plot::LineStyle::dashed_loose())
}

/// Comparing: the chosen metric for both forests and their difference (right − left). Returns a
/// newly chosen metric.
pub fn show_difference(ui: &mut Ui, left: &Sim, twin: &Twin) -> Option<String> {
    let pal = palette::of(ui.ctx());
    let right = &twin.sim;
    let mut chosen = None;
    let left_name = left.timeline_name.as_deref().unwrap_or("left");
    let right_name = twin.label();
    let metric = twin.metric.as_str();
    // A branch shares its past with the main forest: its line and the difference start where
    // the roads part.
    let parted = twin.parted_at();
    let n = left.history.len().min(right.history.len());
    let stride = n.div_ceil(MAX_POINTS).max(1);
    let difference: Vec<[f64; 2]> = (0..n)
        .step_by(stride)
        .filter_map(|k| {
            let (a, b) = (&left.history[k], &right.history[k]);
            (a.tick >= parted).then_some(())?;
            Some([a.tick as f64, b.get(metric)? - a.get(metric)?])
        })
        .collect();
    let mut right_points = points(&right.history, metric, MAX_POINTS);
    right_points.retain(|p| p[0] >= parted as f64);
    let lines = [
        (left_name.to_string(), pal.signal.egui(), points(&left.history, metric, MAX_POINTS), 1.6),
        (right_name.clone(), pal.resource.egui(), right_points, 1.6),
        ("right − left".to_string(), pal.text.egui(), difference, 2.5),
    ];
    // The choice and the legend, with each line's latest value, above the plot rather than over it.
    ui.horizontal_wrapped(|ui| {
        ui.label("Compare on");
        egui::ComboBox::from_id_salt("metric")
            .selected_text(metric_words(metric))
            .show_ui(ui, |ui| {
                for name in crate::model::COLUMNS.iter().skip(1) {
                    if ui.selectable_label(twin.metric == *name, metric_words(name)).clicked() {
                        chosen = Some(name.to_string());
                    }
                }
            })
            .response
            .on_hover_text("Both forests have the same scene, seed and clock; only the timeline differs.");
        for (label, colour, points, _) in &lines {
            let latest = points.last().map(|p| round3(p[1])).unwrap_or_default();
            ui.label(egui::RichText::new(format!("{label} {latest}")).color(*colour));
        }
    });
    time_plot("difference").show(ui, |plot| {
        for (label, colour, points, width) in lines {
            plot.line(Line::new(label, points).color(colour).width(width));
        }
        if parted > 0 {
            plot.vline(branch_mark(pal, parted));
        }
    });
    chosen
}

/// A number to three significant digits, for legends.
fn round3(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// One line of a strip: what it is, its colour, and (tick, value) points.
pub struct StripLine {
    pub label: String,
    pub colour: Color32,
    pub points: Vec<[f64; 2]>,
}

/// A metric's (tick, value) points over `history`, thinned to about `most`.
fn points(history: &[Metrics], metric: &str, most: usize) -> Vec<[f64; 2]> {
    let stride = history.len().div_ceil(most.max(2)).max(1);
    history
        .iter()
        .step_by(stride)
        .chain(history.last())
        .filter_map(|m| m.get(metric).map(|v| [m.tick as f64, v]))
        .collect()
}

/// What a metric is measured in, so that only like is drawn against like on one scale.
fn unit(metric: &str) -> &'static str {
    match metric {
        "value_real" | "value_reported" => "value a tick",
        "vitality" => "share of the start",
        "litter" | "biomass" | "energy" | "nutrients" | "ledger_residual" => "energy",
        "feedback_delay" => "ticks",
        "stress" => "stress",
        "alive" => "trees",
        _ => "0 to 1",
    }
}

/// The presenting strip of the metrics a chapter names, over the story so far: drawn on one
/// scale where they share a unit (real against reported value), else each against its largest.
pub fn watch_lines(pal: &Palette, sim: &Sim, metrics: &[String], most: usize) -> (Vec<StripLine>, String) {
    let same = metrics.windows(2).all(|w| unit(&w[0]) == unit(&w[1]));
    let mut lines: Vec<StripLine> = metrics
        .iter()
        .map(|m| StripLine {
            label: metric_words(m),
            colour: metric_colour(pal, m),
            points: points(&sim.history, m, most),
        })
        .collect();
    let scale = if same {
        metrics.first().map(|m| unit(m)).unwrap_or("").to_string()
    } else {
        for line in &mut lines {
            let largest = line.points.iter().fold(0.0f64, |a, p| a.max(p[1].abs()));
            if largest > 1e-12 {
                line.points.iter_mut().for_each(|p| p[1] /= largest);
            }
        }
        "each ÷ its largest".to_string()
    };
    (lines, scale)
}

/// Two forests side by side: the compared metric for both, over the run so far.
pub fn difference_lines(pal: &Palette, left: &Sim, twin: &Twin, most: usize) -> Vec<StripLine> {
    let metric = twin.metric.as_str();
    vec![
        StripLine {
            label: left.timeline_name.clone().unwrap_or_else(|| "left".to_string()),
            colour: pal.signal.egui(),
            points: points(&left.history, metric, most),
        },
        StripLine {
            label: twin.timeline().to_string(),
            colour: pal.resource.egui(),
            points: points(&twin.sim.history, metric, most)
                .into_iter()
                .filter(|p| p[0] >= twin.parted_at() as f64)
                .collect(),
        },
    ]
}

/// A compact plot drawn over the forest while presenting: a title, each line's latest value in
/// its colour, and the lines on one scale from zero, on a scrim so no forest shows through.
/// `mark`: a tick to mark with a dashed line (where a branch parts), if it is in view.
pub fn strip(painter: &Painter, rect: Rect, title: &str, lines: &[StripLine], size: f32, mark: Option<u64>) {
    let pal = palette::of(painter.ctx());
    painter.rect_filled(rect, 6.0, Color32::from_black_alpha(215));
    let text = pal.text.egui();
    let inner = rect.shrink(8.0);
    let mut job = egui::text::LayoutJob::default();
    job.append(title, 0.0, egui::TextFormat::simple(FontId::proportional(size), text));
    for line in lines {
        let latest = line.points.last().map(|p| round3(p[1])).unwrap_or_default();
        job.append(
            &format!("   {} {latest}", line.label),
            0.0,
            egui::TextFormat::simple(FontId::proportional(size), line.colour),
        );
    }
    job.wrap.max_width = inner.width();
    let galley = painter.layout_job(job);
    let legend_height = galley.size().y;
    painter.galley(inner.min, galley, text);
    let area = Rect::from_min_max(inner.min + egui::vec2(0.0, legend_height + 4.0), inner.max);
    if area.height() < 8.0 {
        return;
    }
    let (mut first, mut last, mut low, mut high) = (f64::MAX, f64::MIN, 0.0f64, f64::MIN);
    for p in lines.iter().flat_map(|l| &l.points) {
        first = first.min(p[0]);
        last = last.max(p[0]);
        low = low.min(p[1]);
        high = high.max(p[1]);
    }
    if first >= last || high <= low {
        return;
    }
    let to_screen = |p: &[f64; 2]| {
        egui::pos2(
            area.min.x + ((p[0] - first) / (last - first)) as f32 * area.width(),
            area.max.y - ((p[1] - low) / (high - low)) as f32 * area.height(),
        )
    };
    painter.line_segment(
        [to_screen(&[first, low.max(0.0)]), to_screen(&[last, low.max(0.0)])],
        Stroke::new(1.0, Color32::from_white_alpha(60)),
    );
    if let Some(at) = mark.map(|t| t as f64).filter(|t| (first..=last).contains(t)) {
        let (top, bottom) = (to_screen(&[at, high]), to_screen(&[at, low]));
        painter.add(egui::Shape::dashed_line(&[top, bottom], Stroke::new(1.5, text), 6.0, 4.0));
    }
    let width = 2.0 * pal.line;
    for line in lines {
        let shape: Vec<egui::Pos2> = line.points.iter().map(to_screen).collect();
        painter.add(egui::Shape::line(shape, Stroke::new(width, line.colour)));
    }
}
