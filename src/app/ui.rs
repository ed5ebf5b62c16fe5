//! The controls around the forest (bevy_egui): time and scene bar, intervention palette, plots,
//! inspector, and the labels, captions and messages drawn over the view.
//!
//! The UI reads the model and changes it only by sending `Intervene` and `Control` messages.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy_egui::egui::{self, Align2, Color32, FontId, RichText, Ui};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use crate::model::{Intervention, InterventionKind, Selection, Style};

use super::compare::{Compare, Twin};
use super::files::PickFile;
use super::palette::ActivePalette;
use super::predict::{DEFAULT_HORIZON, Predict};
use super::sim::{Road, SendTo};

/// What the top bar shows and changes about a second forest.
struct TwoForests {
    /// The timeline compared with, or branched onto.
    comparing: Option<String>,
    road: Option<Road>,
    ghost: bool,
    /// Ask the room to predict, this many ticks ahead.
    ask: Option<u64>,
}
use super::inspector;
use super::layout::{ViewState, aggregated, split};
use super::palette;
use super::plots::{self, PlotChoice};
use super::present::{Blank, Presentation, SaveScreenshot, Settings};
use super::sim::{Control, Intervene, SPEEDS, Sim};
use super::view::{Shapes, TwinShapes};

/// Widgets' own state between frames.
#[derive(Resource)]
pub struct UiState {
    pub strength: f64,
    pub duration: u64,
    /// Apply to the selected trees instead of all.
    pub on_selection: bool,
    pub seed_text: String,
    pub open_text: String,
    pub save_text: String,
    /// Where "Save as scene" writes an imported org chart.
    pub save_scene_text: String,
    /// Ticks ahead a prediction card asks about.
    pub horizon: u64,
    /// "Open file…" was pressed: the desktop's file dialog is to open.
    pub pick_file: bool,
    pub plots: PlotChoice,
    pub shipped: Vec<PathBuf>,
    /// The notice on show and when it appeared (egui time, seconds).
    pub notice: Option<(String, f64)>,
    /// Trees named last frame, per forest shown: they keep their names before any newcomer, so
    /// names do not flicker from frame to frame.
    pub named: [Vec<u32>; 2],
}

/// How long a notice (saved, reloaded, recording) stays on screen.
const NOTICE_SECONDS: f64 = 8.0;

impl Default for UiState {
    fn default() -> Self {
        let mut shipped: Vec<PathBuf> = std::fs::read_dir("scenes")
            .map(|dir| {
                dir.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "ron"))
                    .collect()
            })
            .unwrap_or_default();
        shipped.sort();
        Self {
            strength: 0.6,
            duration: 100,
            on_selection: false,
            seed_text: String::new(),
            open_text: String::new(),
            save_text: "session.ron".into(),
            save_scene_text: String::new(),
            horizon: DEFAULT_HORIZON,
            pick_file: false,
            plots: PlotChoice::default(),
            shipped,
            notice: None,
            named: [Vec::new(), Vec::new()],
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<UiState>().add_systems(EguiPrimaryContextPass, ui);
}

#[allow(clippy::too_many_arguments)]
fn ui(
    mut contexts: EguiContexts,
    mut presentation: ResMut<Presentation>,
    mut screenshots: MessageWriter<SaveScreenshot>,
    mut compare: MessageWriter<Compare>,
    mut twins: Query<&mut Twin>,
    twin_shapes: Res<TwinShapes>,
    sim: Res<Sim>,
    mut view: ResMut<ViewState>,
    shapes: Res<Shapes>,
    mut state: ResMut<UiState>,
    mut intervene: MessageWriter<Intervene>,
    mut controls: MessageWriter<Control>,
    mut predict: MessageWriter<Predict>,
    mut pick: MessageWriter<PickFile>,
    palette: Res<ActivePalette>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    palette.share(ctx);
    // The first forest beside the main one is the one shown.
    let mut twin = twins.iter_mut().next();
    apply_scale(ctx, &presentation.settings);
    if let Some(blank) = presentation.blank {
        let colour = match blank {
            Blank::Black => Color32::BLACK,
            Blank::White => Color32::WHITE,
        };
        egui::Area::new("blank".into()).order(egui::Order::Foreground).fixed_pos(egui::Pos2::ZERO).show(ctx, |ui| {
            ui.painter().rect_filled(ctx.viewport_rect().expand(10.0), 0.0, colour);
        });
        return Ok(());
    }
    let mut sent: Vec<Control> = Vec::new();
    let mut compare_metric: Option<String> = None;
    // With the panels hidden (H) the forest has the whole window; else what the panels leave.
    let hidden = presentation.hidden;
    let free = if hidden {
        ctx.viewport_rect()
    } else {
        let mut root = Ui::new(
            ctx.clone(),
            "root".into(),
            egui::UiBuilder::new().layer_id(egui::LayerId::background()).max_rect(ctx.viewport_rect()),
        );
        let mut shoot = false;
        let mut two = TwoForests {
            comparing: twin.as_ref().map(|t| t.timeline().to_string()),
            road: twin.as_ref().map(|t| t.road),
            ghost: view.ghost,
            ask: None,
        };
        let before = two.comparing.clone();
        // Panels let the window's clear colour show through instead of painting their own
        // background: on a software renderer every painted pixel costs, and the dusk colour is ours.
        let frame = egui::Frame::side_top_panel(&ctx.global_style()).fill(Color32::TRANSPARENT);
        let sizes = PanelSizes::for_window(ctx.viewport_rect(), presentation.settings.projector);
        egui::Panel::top("time")
            .frame(frame)
            .show(&mut root, |ui| top_bar(ui, &sim, &mut state, &mut presentation, &mut sent, &mut shoot, &mut two));
        if std::mem::take(&mut state.pick_file) {
            pick.write(PickFile);
        }
        if two.comparing != before {
            compare.write(Compare(two.comparing.clone()));
        }
        view.ghost = two.ghost;
        if let Some(horizon) = two.ask {
            predict.write(Predict::Ask { metric: None, horizon });
        }
        if shoot {
            screenshots.write(SaveScreenshot);
        }
        egui::Panel::left("palette").frame(frame).resizable(false).exact_size(sizes.left).show(&mut root, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                let other = twin.as_deref().map(|t| (&t.sim, t.label()));
                if let Some(iv) = palette_panel(ui, &sim, other, &view, &mut state) {
                    intervene.write(Intervene(iv));
                }
                ui.add_space(8.0);
                egui::CollapsingHeader::new(RichText::new("What you see").strong())
                    .default_open(sizes.legend_open)
                    .show(ui, legend);
            });
        });
        // The inspector takes room only while a tree is inspected.
        if let Some(tree) = view.focus.filter(|&t| (t as usize) < sim.forest.team_count()) {
            egui::Panel::right("inspector").frame(frame).resizable(true).default_size(sizes.right).show(
                &mut root,
                |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| inspector::show(ui, &sim, tree as usize));
                },
            );
        }
        egui::Panel::bottom("plots").frame(frame).resizable(true).default_size(sizes.bottom).show(&mut root, |ui| {
            match &twin {
                Some(twin) => {
                    if let Some(metric) = plots::show_difference(ui, &sim, twin) {
                        compare_metric = Some(metric);
                    }
                }
                None => plots::show(ui, &sim, &mut state.plots),
            }
        });
        root.available_rect_before_wrap()
    };
    view.rect = Rect::new(free.min.x, free.min.y, free.max.x, free.max.y);
    view.top_inset = overlay(
        ctx,
        &sim,
        &view,
        &shapes,
        twin.as_deref().map(|t| (t, &*twin_shapes)),
        &mut state,
        &mut presentation,
        &mut sent,
        hidden,
    );
    for c in sent {
        controls.write(c);
    }
    if let (Some(metric), Some(twin)) = (compare_metric, twin.as_mut()) {
        twin.metric = metric;
    }
    Ok(())
}

/// How big the panels are, from the window's size (in points) and the projector profile, so that
/// the forest keeps most of the window at every room size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PanelSizes {
    pub left: f32,
    pub right: f32,
    pub bottom: f32,
    /// Whether the legend starts unfolded (where the window is tall enough for it).
    pub legend_open: bool,
}

/// How much larger panel text is in the projector profile (the room's text grows more).
pub const PROJECTOR_PANEL_TEXT: f32 = 1.4;

impl PanelSizes {
    pub fn for_window(window: egui::Rect, projector: bool) -> Self {
        let text = if projector { PROJECTOR_PANEL_TEXT } else { 1.0 };
        let (w, h) = (window.width(), window.height());
        Self {
            left: (w * 0.19).clamp(180.0, 250.0 * text).min(w * 0.3),
            right: (w * 0.24).clamp(220.0, 330.0 * text).min(w * 0.32),
            bottom: (h * 0.19).clamp(110.0, 230.0).min(h * 0.25),
            legend_open: h >= 1000.0 && !projector,
        }
    }
}

/// UI scale (Ctrl +/−) as egui's zoom, and the projector profile's larger panel text.
fn apply_scale(ctx: &egui::Context, settings: &Settings) {
    // One bitmap per glyph and size (no sub-pixel variants): sharper text, and every glyph
    // `warm_glyphs` prepares is every glyph ever drawn, so recordings repeat exactly.
    if ctx.global_style().visuals.text_options.subpixel_binning {
        ctx.all_styles_mut(|style| style.visuals.text_options.subpixel_binning = false);
    }
    if (ctx.zoom_factor() - settings.ui_scale).abs() > 1e-3 {
        ctx.set_zoom_factor(settings.ui_scale);
    }
    let factor = if settings.projector { PROJECTOR_PANEL_TEXT } else { 1.0 };
    let body = egui::Style::default().text_styles.get(&egui::TextStyle::Body).map(|f| f.size).unwrap_or(12.5);
    let now = ctx.global_style().text_styles.get(&egui::TextStyle::Body).map(|f| f.size).unwrap_or(body);
    if (now - body * factor).abs() > 1e-3 {
        ctx.all_styles_mut(|style| {
            style.text_styles = egui::Style::default()
                .text_styles
                .into_iter()
                .map(|(k, f)| (k, FontId::new(f.size * factor, f.family)))
                .collect();
        });
    }
}

fn top_bar(
    ui: &mut Ui,
    sim: &Sim,
    state: &mut UiState,
    presentation: &mut Presentation,
    sent: &mut Vec<Control>,
    shoot: &mut bool,
    two: &mut TwoForests,
) {
    let comparing = &mut two.comparing;
    let road = two.road;
    // One row at projector widths: labels short, rarely used commands in the ☰ menu.
    ui.horizontal_wrapped(|ui| {
        let play = if sim.clock.playing() { "⏸ Pause" } else { "▶ Play" };
        if ui.button(play).on_hover_text("Space").clicked() {
            sent.push(Control::TogglePlay);
        }
        if ui.button("⏭").on_hover_text("One tick (S)").clicked() {
            sent.push(Control::Step);
        }
        egui::ComboBox::from_id_salt("speed")
            .selected_text(format!("{}×", sim.clock.speed()))
            .width(48.0)
            .show_ui(ui, |ui| {
                for s in SPEEDS {
                    if ui.selectable_label(sim.clock.speed() == s, format!("{s}×")).clicked() {
                        sent.push(Control::Speed(s));
                    }
                }
            })
            .response
            .on_hover_text("Speed ([ and ])");
        if ui
            .button("⟲")
            .on_hover_text("Reset: start the scene again with this seed; drops your interventions")
            .clicked()
        {
            sent.push(Control::Reset);
        }
        ui.label(RichText::new(format!("tick {}", sim.forest.tick)).monospace());
        // Named, or a room reads the number beside the tick as part of it.
        ui.label("seed");
        if state.seed_text.is_empty() || !ui.memory(|m| m.has_focus(egui::Id::new("seed"))) {
            state.seed_text = sim.seed.to_string();
        }
        let edit = ui
            .add(egui::TextEdit::singleline(&mut state.seed_text).id(egui::Id::new("seed")).desired_width(56.0))
            .on_hover_text("Seed: type one and press Enter");
        if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            match state.seed_text.trim().parse::<u64>() {
                Ok(seed) => sent.push(Control::Seed(seed)),
                Err(_) => state.seed_text = sim.seed.to_string(),
            }
        }
        if ui.button("🎲").on_hover_text("New seed").clicked() {
            sent.push(Control::NewSeed);
        }
        let current = sim.timeline_name.clone().unwrap_or_else(|| "(no timeline)".into());
        egui::ComboBox::from_id_salt("timeline")
            .selected_text(current.as_str())
            .show_ui(ui, |ui| {
                for name in sim.loaded.scene.timelines.keys() {
                    if ui.selectable_label(Some(name) == sim.timeline_name.as_ref(), name).clicked() {
                        sent.push(Control::Timeline(name.clone()));
                    }
                }
            })
            .response
            .on_hover_text("Timeline: what leadership does, from the scene");
        // One combo for a second forest, so the top bar stays one row at projector widths: side
        // by side from tick 0, or a branch from here.
        let branched = road.and_then(|r| match r {
            Road::Branch { at } => Some(at),
            Road::Compare => None,
        });
        let shown = match (branched, comparing.clone()) {
            (Some(at), Some(_)) => format!("branch from {at}"),
            (_, Some(t)) => format!("vs {t}"),
            _ => "one forest".into(),
        };
        egui::ComboBox::from_id_salt("compare")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                if ui.selectable_label(comparing.is_none(), "one forest").clicked() {
                    *comparing = None;
                }
                for name in sim.loaded.scene.timelines.keys() {
                    let this = comparing.as_ref() == Some(name);
                    if ui.selectable_label(this && branched.is_none(), format!("vs {name}")).clicked() {
                        *comparing = Some(name.clone());
                    }
                }
                ui.separator();
                ui.label(RichText::new("What if, from here? Fork the forest now").small());
                for name in sim.loaded.scene.timelines.keys() {
                    if ui.selectable_label(false, format!("branch here onto {name}")).clicked() {
                        sent.push(Control::Branch(Some(name.clone())));
                    }
                }
            })
            .response
            .on_hover_text(
                "V: another timeline side by side from tick 0, same seed. Y: branch here onto another \
                 timeline (the same state, random stream and weather; the branch ends the decisions in \
                 force and takes the other road).",
            );
        let name: String = sim.scene_name().chars().take(22).collect();
        let name = if name.chars().count() < sim.scene_name().chars().count() { format!("{name}…") } else { name };
        ui.menu_button(format!("📂 {name}"), |ui| {
            ui.label(RichText::new(sim.scene_name()).strong());
            ui.label(RichText::new(&sim.loaded.scene.description).small());
            let assumed = sim.loaded.scene.params.assumptions();
            if !assumed.is_empty() {
                ui.label(RichText::new(format!("Assumes: {assumed}")).small())
                    .on_hover_text("Parameters this scene sets away from the model's defaults (docs/MODEL.md).");
            }
            ui.separator();
            if ui.button("Built-in default").clicked() {
                sent.push(Control::OpenDefault);
                ui.close();
            }
            for path in &state.shipped {
                if ui.button(path.display().to_string()).clicked() {
                    sent.push(Control::Open(path.clone()));
                    ui.close();
                }
            }
            ui.separator();
            if ui.button("Open file…").on_hover_text("Ctrl+O: a scene, or an org chart or network to import").clicked()
            {
                state.pick_file = true;
                ui.close();
            }
            ui.label("or type its path (or drop the file on the window):");
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut state.open_text)
                        .hint_text("scene.ron, org-chart.csv, network.graphml")
                        .desired_width(240.0),
                );
                if ui.button("Open").clicked() && !state.open_text.trim().is_empty() {
                    sent.push(Control::Open(PathBuf::from(state.open_text.trim())));
                    ui.close();
                }
            });
            if sim.is_imported() {
                ui.separator();
                ui.label(RichText::new("Save as scene").strong());
                ui.label("Imported on the fly: save it as a scene to edit it or open it without importing.");
                if state.save_scene_text.is_empty()
                    && let Some(path) = &sim.path
                {
                    state.save_scene_text = path.with_extension("ron").display().to_string();
                }
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut state.save_scene_text).desired_width(200.0));
                    if ui.button("💾 Save as scene").clicked() && !state.save_scene_text.trim().is_empty() {
                        sent.push(Control::SaveScene(PathBuf::from(state.save_scene_text.trim())));
                        ui.close();
                    }
                });
            }
        });
        ui.menu_button("☰", |ui| {
            // With two forests on show: where interventions go, the ghost, the prediction card
            // (here rather than in the bar, which then stays one row at projector widths).
            if road.is_some() {
                let words = |side: SendTo| match side {
                    SendTo::Both => "to both forests",
                    SendTo::Main => "to the left forest",
                    SendTo::Other => "to the right forest",
                };
                ui.label(RichText::new("Interventions go").strong());
                for side in [SendTo::Both, SendTo::Main, SendTo::Other] {
                    if ui.radio(sim.send_to == side, words(side)).clicked() {
                        sent.push(Control::SendTo(side));
                    }
                }
                ui.separator();
                ui.checkbox(&mut two.ghost, "The other as a ghost over this one (G)");
                ui.separator();
                ui.label(RichText::new("Let the room predict (Q)").strong());
                ui.label(
                    "A card asks which forest will have more of the compared figure; 1 / 2 / 3 count \
                     hands; next reveals.",
                );
                ui.horizontal(|ui| {
                    ui.label("ticks ahead");
                    ui.add(egui::DragValue::new(&mut state.horizon).range(10..=5000).speed(10));
                });
                if ui.button("Ask the room").clicked() {
                    two.ask = Some(state.horizon);
                    ui.close();
                }
                ui.separator();
            }
            ui.label(RichText::new("Save session").strong());
            ui.label("Writes a scene file whose timeline replays this session exactly.");
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut state.save_text).desired_width(200.0));
                if ui.button("💾 Save").clicked() && !state.save_text.trim().is_empty() {
                    sent.push(Control::SaveSession(PathBuf::from(state.save_text.trim())));
                    ui.close();
                }
            });
            ui.separator();
            if ui.button("📷 Screenshot (F12)").clicked() {
                *shoot = true;
                ui.close();
            }
            if ui.button("❓ Help and keys").clicked() {
                presentation.welcome = true;
                ui.close();
            }
            ui.separator();
            ui.label(RichText::new("Settings").strong());
            ui.label(format!(
                "Remembered between runs: UI size {:.0}%, projector colours {}.",
                presentation.settings.ui_scale * 100.0,
                if presentation.settings.projector { "on" } else { "off" }
            ));
            if let Some(file) = &presentation.settings_file {
                ui.label(RichText::new(file.display().to_string()).small().weak());
            }
            if ui.button("Back to the default settings").clicked() {
                presentation.reset_settings();
                ui.close();
            }
        });
    });
}

fn palette_panel(
    ui: &mut Ui,
    sim: &Sim,
    other: Option<(&Sim, String)>,
    view: &ViewState,
    state: &mut UiState,
) -> Option<Intervention> {
    let pal = palette::of(ui.ctx());
    let mut chosen = None;
    ui.heading("Lead the forest");
    // Sliders as wide as the panel leaves beside their value, labels above: nothing here is
    // wider than the panel, so the buttons below wrap instead of being cut off.
    let value_width = 4.0 * ui.text_style_height(&egui::TextStyle::Body);
    ui.spacing_mut().slider_width = (ui.available_width() - value_width).max(40.0);
    ui.label("strength");
    ui.add(egui::Slider::new(&mut state.strength, 0.05..=1.0));
    ui.label("ticks");
    ui.add(egui::Slider::new(&mut state.duration, 1..=1000).logarithmic(true));
    let count = view.selected.len();
    ui.radio_value(&mut state.on_selection, false, "All trees");
    ui.add_enabled_ui(count > 0, |ui| ui.radio_value(&mut state.on_selection, true, format!("Selected ({count})")));
    if count == 0 {
        state.on_selection = false;
    }
    // The hint keeps its height whatever it says, so the buttons below never move under the cursor.
    let hint = if count == 0 {
        "Click or drag on the forest to select trees."
    } else {
        "Shift-click adds a tree, Ctrl-click toggles one, Esc clears."
    };
    let lines = 2.0 * ui.text_style_height(&egui::TextStyle::Small) + ui.spacing().item_spacing.y;
    ui.allocate_ui_with_layout(
        egui::vec2(ui.available_width(), lines),
        egui::Layout::top_down(egui::Align::Min),
        |ui| {
            ui.set_min_height(lines);
            ui.label(RichText::new(hint).small().weak());
        },
    );
    let on = if state.on_selection { Selection::Trees(view.selected.clone()) } else { Selection::All };
    for (title, style, hint) in [
        ("By command", Style::Command, "Decided above, sent down the hierarchy; arrives after its delay."),
        ("By conditions", Style::Condition, "Change the soil, the light, the weather; trees decide."),
        ("Shocks", Style::Shock, "What the world does."),
    ] {
        ui.add_space(6.0);
        ui.label(RichText::new(title).strong().color(pal.style(style).egui())).on_hover_text(hint);
        ui.horizontal_wrapped(|ui| {
            for kind in InterventionKind::ALL.into_iter().filter(|k| k.style() == style) {
                let button = egui::Button::new(kind.label()).stroke(egui::Stroke::new(1.0, pal.style(style).egui()));
                if ui.add(button).on_hover_text(describe(kind)).clicked() {
                    chosen =
                        Some(Intervention { kind, strength: state.strength, duration: state.duration, on: on.clone() });
                }
            }
        });
    }
    ui.add_space(8.0);
    ui.separator();
    // With two forests on show, each has its own decisions in force: both are listed, named.
    match other {
        None => {
            ui.label(RichText::new("In force").strong());
            in_force(ui, pal, &sim.forest);
        }
        Some((other, label)) => {
            let main = sim.timeline_name.as_deref().unwrap_or("left");
            ui.label(RichText::new(format!("In force, left: {main}")).strong());
            in_force(ui, pal, &sim.forest);
            ui.label(RichText::new(format!("In force, right: {label}")).strong());
            in_force(ui, pal, &other.forest);
        }
    }
    chosen
}

/// The decisions in force in `forest`, each with whom it acts on and the ticks it has left.
fn in_force(ui: &mut Ui, pal: &palette::Palette, forest: &crate::model::Forest) {
    let tick = forest.tick;
    let mut any = false;
    for active in forest.active.iter().filter(|a| a.in_force(tick)) {
        any = true;
        let left = active.intervention.end(active.start).saturating_sub(tick);
        let col = pal.style(active.intervention.kind.style()).egui();
        let scope = match &active.intervention.on {
            Selection::All => "all".to_string(),
            Selection::Trees(t) => format!("{} trees", t.len()),
        };
        ui.label(
            RichText::new(format!("{} · {scope} · {left} ticks left", active.intervention.kind.label())).color(col),
        );
    }
    if !any {
        ui.label(RichText::new("nothing").weak());
    }
}

/// What each intervention does, for tooltips.
pub fn describe(kind: InterventionKind) -> &'static str {
    use InterventionKind::*;
    match kind {
        Mandate => {
            "Every period, leadership moves budget from the trees whose reports show work paying least to those showing it paying most, as late as the reports. Costs the managers' review each round."
        }
        Target => {
            "Sets each tree a target on the measure of the work the reports show paying best near it. It helps while the measure tracks the light; as the light moves, effort goes to the measure, and stressed trees may meet it by reporting rather than producing."
        }
        Reorganize => {
            "Rewires links and reporting lines by the reports, and moves people toward the teams whose reports show most value per person. Costs attention, and teams taking people in spend attention on them."
        }
        EnforceAlignment => {
            "Every period, each tree is told to lean toward the work near it that the reports show paying best, as late as the reports. Costs meetings."
        }
        PushHarder => "Demands more effort: more output now, more stress and dropped work.",
        CutWeakest => {
            "Removes the teams no one reports to whose reports show the lowest return on effort; their wood falls as litter."
        }
        OpenFeedback => "Faster, truer signals along links and up the hierarchy. Costs attention in reviews.",
        ClarifyValues => {
            "Values grow clearer over time, so decisions become predictable and trust can grow. Costs attention while it takes hold."
        }
        CreateSlack => "Less effort and attention load: less output now, room to adapt.",
        EnrichSoil => "Litter turns into nutrients faster: a learning culture. Costs energy and attention to tend.",
        GrowConnections => "New links between nearby trees. Each costs energy to build and keep, and attention.",
        LetLightIn => {
            "Trees look at the light within their reach themselves, with some noise, besides hearing of it from neighbours. Costs attention."
        }
        Drought => "Production falls.",
        Storm => "Trees lose wood to litter; links break.",
        LightShift => "The light jumps elsewhere.",
        Pest => "Wood drains to litter and the pest spreads along links.",
    }
}

/// What the colours mean, named as the palette in use draws them.
fn legend(ui: &mut Ui) {
    let pal = palette::of(ui.ctx());
    let p = pal;
    let n = p.names;
    ui.label(RichText::new("Click a tree to see its state, its flows and why it looks the way it does.").small());
    let rows: [(palette::Rgba, String); 11] = [
        (p.light, "Light along the top: where opportunity is now. It drifts.".into()),
        (p.calm, "Trees are teams. Height and crown: capability (biomass).".into()),
        (
            p.breaking,
            format!(
                "Crown colour: stress, from {} (calm) through {} to {} (breaking).",
                n.calm, n.strained, n.breaking
            ),
        ),
        (p.leaf, format!("Falling leaves ({}): dropped work and dead wood.", n.leaf)),
        (p.litter, "Litter at the foot: waiting to be recycled.".into()),
        (p.nutrient, "Glow in the soil: nutrients recycled from litter.".into()),
        (p.root, "Roots below: links between teams; thicker carries more.".into()),
        (
            p.resource,
            format!("{} particles: energy shared along a link, toward where it is useful.", capitalised(n.resource)),
        ),
        (
            p.signal,
            format!("{} pulses: feedback, taking the link's real delay; dim when distrusted.", capitalised(n.signal)),
        ),
        (p.command, "Straight lines above: the reporting hierarchy.".into()),
        (p.order, format!("{} diamonds: decisions on their way down; a ring where one lands.", capitalised(n.order))),
    ];
    for (colour, text) in rows {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, colour.egui());
            ui.add(egui::Label::new(RichText::new(text).small()).wrap());
        });
    }
}

fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// Lays out every glyph the overlay uses at the sizes it uses, without drawing them: egui
/// rasterizes glyphs the first time they are laid out and uploads them a frame later, so a new
/// digit would otherwise flicker blank for one frame, and two recordings could differ.
fn warm_glyphs(painter: &egui::Painter) {
    const GLYPHS: &str =
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~·—–’“”…⏸×÷−";
    for size in [10.5, 12.0, 13.5, 14.0, 16.0, 16.5, 18.0, 22.0, 25.5, 34.0, 36.0] {
        let _ = painter.layout_no_wrap(GLYPHS.to_string(), FontId::proportional(size), Color32::WHITE);
    }
}

/// The few figures an audience needs, top left of `area`, each against something the room can
/// hold: vitality as a share of what the forest started with, real value a tick, trust and
/// alignment out of 1, and how each has moved since the chapter began (or in the last 100
/// ticks); then how far it is to the next chapter. `title` names the forest when two are shown.
/// Wrapped to fit `area`; returns where it was drawn.
fn heads_up(painter: &egui::Painter, area: egui::Rect, sim: &Sim, title: Option<&str>) -> egui::Rect {
    let pal = palette::of(painter.ctx());
    let projector = pal.line > 1.0;
    // Two forests share the width: a smaller size keeps each display to a few lines.
    let size = match (projector, title.is_some()) {
        (true, false) => 22.0,
        (true, true) => 18.0,
        (false, false) => 16.0,
        (false, true) => 14.0,
    };
    let colour = pal.text.egui();
    let progress = sim.chapter_progress();
    let mut job = egui::text::LayoutJob::default();
    let (figures, period) = heads_up_text(sim, title);
    job.append(&figures, 0.0, egui::TextFormat::simple(FontId::proportional(size), colour));
    job.append(
        &format!("\n(in brackets: the change {period})"),
        0.0,
        egui::TextFormat::simple(FontId::proportional(size * 0.75), colour.gamma_multiply(0.7)),
    );
    if let Some(p) = &progress {
        job.append(
            &format!("\n{}", progress_text(p)),
            0.0,
            egui::TextFormat::simple(FontId::proportional(size), colour),
        );
    }
    job.wrap.max_width = (area.width() - 40.0).max(120.0);
    let galley = painter.layout_job(job);
    let bar = if progress.is_some() { size * 0.5 } else { 0.0 };
    let content = galley.size() + egui::vec2(0.0, bar * 1.6);
    let rect = egui::Rect::from_min_size(area.min + egui::vec2(12.0, 12.0), content).expand(8.0);
    // Opaque enough that no line of the forest shows through the figures.
    painter.rect_filled(rect, 6.0, Color32::from_black_alpha(215));
    let text_height = galley.size().y;
    painter.galley(rect.min + egui::vec2(8.0, 8.0), galley, colour);
    if let Some(p) = progress {
        // How much of this chapter has played: one press per chapter, and the room sees when
        // the next one comes.
        let track = egui::Rect::from_min_size(
            rect.min + egui::vec2(8.0, 8.0 + text_height + bar * 0.4),
            egui::vec2(rect.width() - 16.0, bar),
        );
        painter.rect_filled(track, bar * 0.5, Color32::from_white_alpha(40));
        let mut filled = track;
        filled.set_width(track.width() * p.done.clamp(0.0, 1.0));
        painter.rect_filled(filled, bar * 0.5, pal.light.egui());
    }
    rect
}

/// The heads-up display's line about the next chapter.
pub fn progress_text(p: &super::sim::ChapterProgress) -> String {
    if p.waiting {
        format!("paused for discussion · Next plays on to \u{201c}{}\u{201d}", p.next_title)
    } else {
        let ticks = if p.ticks_left == 1 { "1 tick".to_string() } else { format!("{} ticks", p.ticks_left) };
        format!("next chapter, \u{201c}{}\u{201d}, in {ticks}", p.next_title)
    }
}

/// The heads-up display's figures (three lines), and the period their changes are over.
pub fn heads_up_text(sim: &Sim, title: Option<&str>) -> (String, &'static str) {
    let tick = sim.forest.tick;
    let m = &sim.forest.metrics;
    let chapter = sim.timeline.chapter_at(tick);
    let (since, period) = match chapter {
        Some((_, c)) if c.tick + 10 <= tick => (c.tick, "since this chapter began"),
        _ => (tick.saturating_sub(100), "in the last 100 ticks"),
    };
    let then = sim.history.at(since).copied().unwrap_or(*m);
    let relative = |now: f64, before: f64| match 100.0 * (now / before - 1.0) {
        _ if before.abs() < 1e-9 => String::new(),
        d if d.abs() < 0.5 => " (steady)".to_string(),
        d => format!(" ({d:+.0}%)"),
    };
    let absolute = |now: f64, before: f64| match now - before {
        d if d.abs() < 0.005 => " (steady)".to_string(),
        d => format!(" ({d:+.2})"),
    };
    // Vitality is shown as a percentage of the start, so its change is in points of that
    // percentage: "266% of the start (+165 points)", where a relative change would read +164%.
    let points = |now: f64, before: f64| match 100.0 * (now - before) {
        d if d.abs() < 0.5 => " (steady)".to_string(),
        d if d.abs() < 1.5 => format!(" ({d:+.0} point)"),
        d => format!(" ({d:+.0} points)"),
    };
    let named = title.map(|t| format!("{t}  ·  ")).unwrap_or_default();
    let heading = chapter
        .map(|(k, c)| format!("{} / {}  {}  ·  ", k + 1, sim.timeline.chapters().len(), c.title))
        .unwrap_or_else(|| format!("{}  ·  ", sim.scene_name()));
    let paused = if sim.clock.playing() { "" } else { "  ·  paused" };
    let text = format!(
        "{named}{heading}tick {tick}{paused}\n\
         vitality {:.0}% of the start{}  ·  real value {:.0} a tick{}\n\
         trust {:.2} of 1{}  ·  alignment {:.2} of 1{}",
        100.0 * m.vitality,
        points(m.vitality, then.vitality),
        m.value_real,
        relative(m.value_real, then.value_real),
        m.trust,
        absolute(m.trust, then.trust),
        m.alignment,
        absolute(m.alignment, then.alignment),
    );
    (text, period)
}

fn egui_rect(r: Rect) -> egui::Rect {
    egui::Rect::from_min_max(egui::pos2(r.min.x, r.min.y), egui::pos2(r.max.x, r.max.y))
}

/// A caption across the bottom of the view, on a dark band so it reads over anything.
fn caption(painter: &egui::Painter, area: egui::Rect, text: &str, size: f32) {
    let pal = palette::of(painter.ctx());
    let pos = egui::pos2(area.center().x, area.max.y - size);
    let galley = painter.layout(text.to_string(), FontId::proportional(size), pal.text.egui(), area.width() * 0.8);
    let rect = Align2::CENTER_BOTTOM.anchor_size(pos, galley.size()).expand(size * 0.4);
    // Opaque enough that no root or particle shows through the words.
    painter.rect_filled(rect, 6.0, Color32::from_black_alpha(225));
    painter.galley(rect.min + egui::vec2(size * 0.4, size * 0.4), galley, pal.text.egui());
}

/// Tree names under the ground line, most important first, skipping any that would overlap.
/// Names shown last frame (`named`) come before any newcomer of the same importance; where a
/// crown leans away from its trunk, a faint line ties the name to the crown.
fn tree_labels(
    painter: &egui::Painter,
    sim: &Sim,
    view: &ViewState,
    shapes: &[super::layout::TreeShape],
    named: &mut Vec<u32>,
) {
    let pal = palette::of(painter.ctx());
    let t = &sim.forest.trees;
    let projector = pal.line > 1.0;
    let size = if projector { 18.0 } else { 12.0 };
    let font = FontId::proportional(size);
    let char_width = 0.52 * size;
    let rows = 2;
    let row_height = size + 4.0;
    // Zoomed far out the shapes are groves; then only the heads of groups and the selection are named.
    let candidates: Vec<(u32, f32, Option<egui::Pos2>)> = if aggregated(&sim.forest, view) {
        (0..t.x.len())
            .filter(|&i| {
                (t.children[i] > 0 && t.depth[i] <= 2)
                    || view.selected.contains(&(i as u32))
                    || view.focus == Some(i as u32)
            })
            .map(|i| (i as u32, view.screen_x(t.x[i]), None))
            .collect()
    } else {
        shapes.iter().map(|s| (s.tree, s.x, Some(egui::pos2(s.top.x, s.top.y)))).collect()
    };
    let ground = view.bands().ground;
    let before: std::collections::HashSet<u32> = named.iter().copied().collect();
    let mut order: Vec<(u32, f32, Option<egui::Pos2>)> =
        candidates.into_iter().filter(|&(_, x, _)| view.rect.min.x <= x && x <= view.rect.max.x).collect();
    let rank = |&(tree, _, _): &(u32, f32, Option<egui::Pos2>)| {
        let i = tree as usize;
        let first = if view.focus == Some(tree) {
            0
        } else if view.selected.contains(&tree) {
            1
        } else if t.children[i] > 0 {
            2 + t.depth[i]
        } else {
            100
        };
        // Within the same importance, the names already shown first, then the biggest trees.
        (first, !before.contains(&tree), -(t.biomass[i] * 1000.0) as i64, tree)
    };
    order.sort_by_key(rank);
    let mut taken: Vec<Vec<(f32, f32)>> = vec![Vec::new(); rows];
    named.clear();
    for (tree, x, crown) in order {
        let i = tree as usize;
        let half = t.name[i].chars().count() as f32 * char_width * 0.5 + 4.0;
        // A name at the edge moves in to be read whole (the leader line still finds its tree).
        let x = x.clamp(view.rect.min.x + half, (view.rect.max.x - half).max(view.rect.min.x + half));
        let span = (x - half, x + half);
        let Some(row) = (0..rows).find(|&r| taken[r].iter().all(|&(a, b)| span.1 < a || span.0 > b)) else { continue };
        taken[row].push(span);
        named.push(tree);
        let colour = if t.alive[i] { pal.text.egui() } else { pal.dead.egui() };
        let pos = egui::pos2(x, ground + 4.0 + row as f32 * row_height);
        if let Some(crown) = crown
            && (crown.x - x).abs() > 24.0
        {
            painter.line_segment([pos, crown], egui::Stroke::new(1.0, pal.text.egui().gamma_multiply(0.25)));
        }
        painter.text(
            pos + egui::vec2(1.0, 1.0),
            Align2::CENTER_TOP,
            &t.name[i],
            font.clone(),
            Color32::from_black_alpha(220),
        );
        painter.text(pos, Align2::CENTER_TOP, &t.name[i], font.clone(), colour);
        if named.len() >= 400 {
            break;
        }
    }
}

/// Drawn over the forest: tree names, captions, the error of a scene that failed to load, notices, help.
/// Returns the height the heads-up display covers at the top of the view (0 when not presenting).
#[allow(clippy::too_many_arguments)]
fn overlay(
    ctx: &egui::Context,
    sim: &Sim,
    view: &ViewState,
    shapes: &Shapes,
    twin: Option<(&Twin, &TwinShapes)>,
    state: &mut UiState,
    presentation: &mut Presentation,
    sent: &mut Vec<Control>,
    presenting: bool,
) -> f32 {
    let pal = palette::of(ctx);
    let area = egui_rect(view.rect);
    let mut inset: f32 = 0.0;
    // Over the forest (which Bevy draws before any of egui) but under every window.
    let painter =
        ctx.layer_painter(egui::LayerId::new(egui::Order::Background, egui::Id::new("labels"))).with_clip_rect(area);
    warm_glyphs(&painter);
    let caption_size = if presenting { 34.0 } else { 22.0 };
    let mut halves: Vec<(&Sim, ViewState, &[super::layout::TreeShape])> = Vec::new();
    let mut titles: Vec<String> = vec![sim.timeline_name.clone().unwrap_or_else(|| "no timeline".into())];
    match twin {
        None => halves.push((sim, view.clone(), &shapes.0)),
        Some((twin, _)) if view.ghost => {
            halves.push((sim, view.clone(), &shapes.0));
            titles[0] = format!("{}  ·  ghost: {}", titles[0], twin.label());
        }
        Some((twin, twin_shapes)) => {
            let (left, right) = split(view);
            halves.push((sim, left, &shapes.0));
            halves.push((&twin.sim, right, &twin_shapes.0));
            titles.push(twin.label());
        }
    }
    let comparing = twin.is_some();
    let strip_size = if pal.line > 1.0 { 18.0 } else { 14.0 };
    // Presenting two forests, the difference stays in view: one strip of the compared metric
    // for both, at the bottom across the gap, with the captions above it.
    let difference = match twin {
        Some((twin, _)) if presenting => {
            let width = (area.width() * 0.5).clamp(240.0, 640.0);
            let height = (area.height() * 0.13).clamp(72.0, 130.0);
            let rect = egui::Rect::from_min_size(
                egui::pos2(area.center().x - width * 0.5, area.max.y - 8.0 - height),
                egui::vec2(width, height),
            );
            Some((rect, twin))
        }
        _ => None,
    };
    let bottom_inset = difference.map(|(rect, _)| area.max.y - rect.min.y + 4.0).unwrap_or(0.0);
    for (k, (forest, half, shapes)) in halves.iter().enumerate() {
        let part = egui_rect(half.rect);
        let painter = painter.with_clip_rect(part);
        tree_labels(&painter, forest, half, shapes, &mut state.named[k]);
        if let Some(text) = forest.timeline.caption_at(forest.forest.tick) {
            let mut above = part;
            above.max.y -= bottom_inset;
            caption(&painter, above, &text, if comparing { caption_size * 0.75 } else { caption_size });
        }
        let title = titles[k].as_str();
        if presenting {
            let hud = heads_up(&painter, part, forest, comparing.then_some(title));
            inset = inset.max(hud.max.y - part.min.y);
            let watched = forest.timeline.chapter_at(forest.forest.tick).map(|(_, c)| c.watch).unwrap_or(&[]);
            if !comparing && !watched.is_empty() {
                // Beside the heads-up display where there is room, else under it.
                let beside = part.max.x - 12.0 - (hud.max.x + 12.0);
                let rect = if beside >= 280.0 {
                    egui::Rect::from_min_max(
                        egui::pos2(hud.max.x + 12.0, hud.min.y),
                        egui::pos2(part.max.x - 12.0, hud.max.y.max(hud.min.y + 100.0)),
                    )
                } else {
                    egui::Rect::from_min_size(
                        egui::pos2(hud.min.x, hud.max.y + 8.0),
                        egui::vec2((part.width() - 24.0).min(560.0), 100.0),
                    )
                };
                inset = inset.max(rect.max.y - part.min.y);
                let (lines, scale) = plots::watch_lines(pal, forest, watched, rect.width() as usize / 2);
                plots::strip(&painter, rect, &format!("Watch ({scale}):"), &lines, strip_size, forest.branch_tick());
            }
        } else if comparing {
            let size = 18.0;
            let galley = painter.layout_no_wrap(title.to_string(), FontId::proportional(size), pal.text.egui());
            let at = egui::pos2(part.max.x - 12.0, part.min.y + 12.0);
            let rect = Align2::RIGHT_TOP.anchor_size(at, galley.size()).expand(6.0);
            painter.rect_filled(rect, 6.0, Color32::from_black_alpha(200));
            painter.galley(rect.min + egui::vec2(6.0, 6.0), galley, pal.text.egui());
        }
    }
    if let Some((rect, twin)) = difference {
        let lines = plots::difference_lines(pal, sim, twin, rect.width() as usize / 2);
        let now = |l: &plots::StripLine| l.points.last().map(|p| p[1]).unwrap_or(0.0);
        // Short, so the strip keeps room for its lines at small sizes: each forest's name is
        // on it already.
        let title =
            format!("{}: right − left = {:+.3}", plots::metric_words(&twin.metric), now(&lines[1]) - now(&lines[0]));
        let parted = Some(twin.parted_at()).filter(|&t| t > 0);
        plots::strip(&painter, rect, &title, &lines, strip_size, parted);
    }
    if presenting {
        return inset;
    }
    if let Some(error) = &sim.error {
        egui::Window::new("⚠ Scene not loaded")
            .anchor(Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.label(RichText::new(error).monospace().color(Color32::from_rgb(255, 150, 140)));
                ui.label(format!("Still running: \"{}\". Fix the file and it reloads.", sim.scene_name()));
                if ui.button("Dismiss").clicked() {
                    sent.push(Control::DismissError);
                }
            });
    }
    // A notice shows for a few seconds after it changes.
    let now = ctx.input(|i| i.time);
    if state.notice.as_ref().map(|(text, _)| text) != sim.notice.as_ref() {
        state.notice = sim.notice.clone().map(|text| (text, now));
    }
    if let Some((notice, since)) = &state.notice
        && now - since < NOTICE_SECONDS
    {
        painter.text(
            area.right_top() + egui::vec2(-10.0, 10.0),
            Align2::RIGHT_TOP,
            notice,
            FontId::proportional(14.0),
            pal.light.egui(),
        );
    }
    if let Some(problem) = presentation.settings_problem.clone() {
        egui::Window::new("⚠ Settings not used")
            .anchor(Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.label(RichText::new(problem).monospace());
                ui.horizontal(|ui| {
                    if ui.button("Back to the default settings").clicked() {
                        presentation.reset_settings();
                    }
                    if ui.button("Dismiss").clicked() {
                        presentation.settings_problem = None;
                    }
                });
            });
    }
    if presentation.welcome {
        welcome(ctx, sim, presentation);
    }
    inset
}

/// The welcome window: what the forest is and the keys, centred over the view and never wider
/// than it. Any clicker key or Escape closes it for now; "Got it" for good.
fn welcome(ctx: &egui::Context, sim: &Sim, presentation: &mut Presentation) {
    let pal = palette::of(ctx);
    let keys = RichText::new(
        "Space play/pause · S one tick · [ ] speed · wheel or + − zoom · drag or A D pan · Home fit · \
         click a tree to inspect · drag to select · Esc clear selection",
    );
    let presenting = RichText::new(
        "Presenting, with a clicker or the keyboard: PageDown, Right, Down or Enter next chapter · PageUp, Left, \
         Up or Backspace previous · F5 present (controls hidden, full screen) · Esc stop · B or . black screen · \
         W or , white screen · H hide controls · P projector colours · F11 full screen · Ctrl + or − UI size · \
         F12 screenshot · R record · Ctrl+O open a file · V side by side · Y branch here · G ghost · Q predict, 1 2 3 hands, next reveals",
    );
    let width = (ctx.content_rect().width() * 0.5).clamp(280.0, 520.0);
    egui::Window::new("Welcome to Understory")
        .anchor(Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .collapsible(false)
        .resizable(false)
        .max_width(width)
        .show(ctx, |ui| {
            ui.label(format!("“{}” — {}", sim.scene_name(), sim.loaded.scene.description));
            ui.add_space(4.0);
            ui.label("Each tree is a team. Light is opportunity; roots share energy and feedback; straight lines above are the chain of command.");
            let n = pal.names;
            ui.label(format!("Lead by command (left, {}) or by conditions ({}), on all trees or on the ones you select, and watch the plots below. The forest waits while this window is open; Space or Enter closes it.", n.command_style, n.condition_style));
            ui.label("Presenting, the heads-up display shows vitality (living wood, less for stress) as a share of what the forest started with; real value delivered a tick; trust (how predictable decisions have been to the teams) and alignment (how well budget and wood sit where the light is), each out of 1; in brackets, how each moved since the chapter began; and a bar filling toward the next chapter. A chapter can add a strip of the figures it asks you to watch; two forests side by side share one strip of the compared figure for both.");
            ui.add_space(4.0);
            ui.label(keys);
            ui.label(presenting);
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                if ui.button("Got it").on_hover_text("Do not show this again; ❓ Help brings it back").clicked() {
                    presentation.close_welcome(true);
                }
                if ui.button("Close").on_hover_text("Esc, Space or Enter").clicked() {
                    presentation.close_welcome(false);
                }
            });
        });
}
