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
use super::inspector;
use super::layout::{ViewState, aggregated, split};
use super::palette;
use super::plots::{self, PlotChoice};
use super::present::{Presentation, SaveScreenshot, Settings};
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
    pub plots: PlotChoice,
    pub help: bool,
    pub shipped: Vec<PathBuf>,
    /// The notice on show and when it appeared (egui time, seconds).
    pub notice: Option<(String, f64)>,
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
            plots: PlotChoice::default(),
            help: true,
            shipped,
            notice: None,
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<UiState>().add_systems(EguiPrimaryContextPass, ui);
}

#[allow(clippy::too_many_arguments)]
fn ui(
    mut contexts: EguiContexts,
    presentation: Res<Presentation>,
    mut screenshots: MessageWriter<SaveScreenshot>,
    mut compare: MessageWriter<Compare>,
    mut twin: Option<ResMut<Twin>>,
    twin_shapes: Res<TwinShapes>,
    sim: Res<Sim>,
    mut view: ResMut<ViewState>,
    shapes: Res<Shapes>,
    mut state: ResMut<UiState>,
    mut intervene: MessageWriter<Intervene>,
    mut controls: MessageWriter<Control>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    apply_scale(ctx, &presentation.settings);
    if presentation.blank {
        egui::Area::new("blank".into()).order(egui::Order::Foreground).fixed_pos(egui::Pos2::ZERO).show(ctx, |ui| {
            ui.painter().rect_filled(ctx.viewport_rect().expand(10.0), 0.0, Color32::BLACK);
        });
        return Ok(());
    }
    let mut sent: Vec<Control> = Vec::new();
    if presentation.hidden {
        let full = ctx.viewport_rect();
        view.rect = Rect::new(full.min.x, full.min.y, full.max.x, full.max.y);
        overlay(ctx, &sim, &view, &shapes, twin.as_deref().map(|t| (t, &*twin_shapes)), &mut state, &mut sent, true);
        for c in sent {
            controls.write(c);
        }
        return Ok(());
    }
    let mut root = Ui::new(
        ctx.clone(),
        "root".into(),
        egui::UiBuilder::new().layer_id(egui::LayerId::background()).max_rect(ctx.viewport_rect()),
    );
    let mut shoot = false;
    let mut compare_metric: Option<String> = None;
    let mut comparing = twin.as_ref().map(|t| t.timeline().to_string());
    let before = comparing.clone();
    // Panels let the window's clear colour show through instead of painting their own
    // background: on a software renderer every painted pixel costs, and the dusk colour is ours.
    let frame = egui::Frame::side_top_panel(&ctx.global_style()).fill(Color32::TRANSPARENT);
    egui::Panel::top("time")
        .frame(frame)
        .show(&mut root, |ui| top_bar(ui, &sim, &mut state, &mut sent, &mut shoot, &mut comparing));
    if comparing != before {
        compare.write(Compare(comparing));
    }
    if shoot {
        screenshots.write(SaveScreenshot);
    }
    egui::Panel::left("palette").frame(frame).resizable(false).exact_size(230.0).show(&mut root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            if let Some(iv) = palette_panel(ui, &sim, &view, &mut state) {
                intervene.write(Intervene(iv));
            }
        });
    });
    egui::Panel::right("inspector").frame(frame).resizable(true).default_size(300.0).show(&mut root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| match view.focus {
            Some(tree) if (tree as usize) < sim.forest.team_count() => inspector::show(ui, &sim, tree as usize),
            _ => legend(ui),
        });
    });
    egui::Panel::bottom("plots").frame(frame).resizable(true).default_size(200.0).show(&mut root, |ui| match &twin {
        Some(twin) => {
            if let Some(metric) = plots::show_difference(ui, &sim, twin) {
                compare_metric = Some(metric);
            }
        }
        None => plots::show(ui, &sim, &mut state.plots),
    });
    let free = root.available_rect_before_wrap();
    view.rect = Rect::new(free.min.x, free.min.y, free.max.x, free.max.y);
    overlay(ctx, &sim, &view, &shapes, twin.as_deref().map(|t| (t, &*twin_shapes)), &mut state, &mut sent, false);
    for c in sent {
        controls.write(c);
    }
    if let (Some(metric), Some(twin)) = (compare_metric, twin.as_mut()) {
        twin.metric = metric;
    }
    Ok(())
}

/// UI scale (Ctrl +/−) as egui's zoom, and the projector profile's doubled fonts.
fn apply_scale(ctx: &egui::Context, settings: &Settings) {
    // One bitmap per glyph and size (no sub-pixel variants): sharper text, and every glyph
    // `warm_glyphs` prepares is every glyph ever drawn, so recordings repeat exactly.
    if ctx.global_style().visuals.text_options.subpixel_binning {
        ctx.all_styles_mut(|style| style.visuals.text_options.subpixel_binning = false);
    }
    if (ctx.zoom_factor() - settings.ui_scale).abs() > 1e-3 {
        ctx.set_zoom_factor(settings.ui_scale);
    }
    let factor = if settings.projector { 2.0 } else { 1.0 };
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
    sent: &mut Vec<Control>,
    shoot: &mut bool,
    comparing: &mut Option<String>,
) {
    ui.horizontal_wrapped(|ui| {
        let play = if sim.playing { "⏸ Pause" } else { "▶ Play" };
        if ui.button(play).on_hover_text("Space").clicked() {
            sent.push(Control::TogglePlay);
        }
        if ui.button("⏭ Step").on_hover_text("Advance one tick ( . )").clicked() {
            sent.push(Control::Step);
        }
        ui.label("Speed");
        egui::ComboBox::from_id_salt("speed").selected_text(format!("{}×", sim.speed)).width(56.0).show_ui(ui, |ui| {
            for s in SPEEDS {
                if ui.selectable_label(sim.speed == s, format!("{s}×")).clicked() {
                    sent.push(Control::Speed(s));
                }
            }
        });
        if ui
            .button("⟲ Reset")
            .on_hover_text("Start the scene again with this seed; drops your interventions")
            .clicked()
        {
            sent.push(Control::Reset);
        }
        ui.separator();
        ui.label(RichText::new(format!("tick {}", sim.forest.tick)).monospace());
        ui.separator();
        ui.label("Seed");
        if state.seed_text.is_empty() || !ui.memory(|m| m.has_focus(egui::Id::new("seed"))) {
            state.seed_text = sim.seed.to_string();
        }
        let edit =
            ui.add(egui::TextEdit::singleline(&mut state.seed_text).id(egui::Id::new("seed")).desired_width(70.0));
        if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            match state.seed_text.trim().parse::<u64>() {
                Ok(seed) => sent.push(Control::Seed(seed)),
                Err(_) => state.seed_text = sim.seed.to_string(),
            }
        }
        if ui.button("🎲 New seed").clicked() {
            sent.push(Control::NewSeed);
        }
        ui.separator();
        let current = sim.timeline_name.clone().unwrap_or_else(|| "(none)".into());
        ui.label("Timeline");
        egui::ComboBox::from_id_salt("timeline").selected_text(current.as_str()).show_ui(ui, |ui| {
            for name in sim.loaded.scene.timelines.keys() {
                if ui.selectable_label(Some(name) == sim.timeline_name.as_ref(), name).clicked() {
                    sent.push(Control::Timeline(name.clone()));
                }
            }
        });
        let shown = comparing.clone().map(|t| format!("vs {t}")).unwrap_or_else(|| "side by side…".into());
        egui::ComboBox::from_id_salt("compare")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                if ui.selectable_label(comparing.is_none(), "one forest").clicked() {
                    *comparing = None;
                }
                for name in sim.loaded.scene.timelines.keys() {
                    if ui.selectable_label(comparing.as_ref() == Some(name), format!("vs {name}")).clicked() {
                        *comparing = Some(name.clone());
                    }
                }
            })
            .response
            .on_hover_text("V: compare with another timeline of the scene, same seed, side by side");
        ui.separator();
        ui.menu_button(format!("📂 {}", sim.scene_name()), |ui| {
            ui.label(RichText::new(&sim.loaded.scene.description).small());
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
            ui.label("Any scene file:");
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut state.open_text)
                        .hint_text("path/to/scene.ron")
                        .desired_width(220.0),
                );
                if ui.button("Open").clicked() && !state.open_text.trim().is_empty() {
                    sent.push(Control::Open(PathBuf::from(state.open_text.trim())));
                    ui.close();
                }
            });
        });
        ui.menu_button("💾 Save session", |ui| {
            ui.label("Writes a scene file whose timeline replays this session exactly.");
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut state.save_text).desired_width(220.0));
                if ui.button("Save").clicked() && !state.save_text.trim().is_empty() {
                    sent.push(Control::SaveSession(PathBuf::from(state.save_text.trim())));
                    ui.close();
                }
            });
        });
        if ui.button("📷 Screenshot").on_hover_text("F12: saves a PNG named by scene and tick").clicked() {
            *shoot = true;
        }
        ui.toggle_value(&mut state.help, "❓ Help");
    });
}

fn palette_panel(ui: &mut Ui, sim: &Sim, view: &ViewState, state: &mut UiState) -> Option<Intervention> {
    let mut chosen = None;
    ui.heading("Lead the forest");
    ui.add(egui::Slider::new(&mut state.strength, 0.05..=1.0).text("strength"));
    ui.add(egui::Slider::new(&mut state.duration, 1..=1000).logarithmic(true).text("ticks"));
    let count = view.selected.len();
    ui.horizontal(|ui| {
        ui.radio_value(&mut state.on_selection, false, "All trees");
        ui.add_enabled_ui(count > 0, |ui| ui.radio_value(&mut state.on_selection, true, format!("Selected ({count})")));
    });
    if count == 0 {
        state.on_selection = false;
        ui.label(RichText::new("Click or drag on the forest to select trees.").small().weak());
    }
    let on = if state.on_selection { Selection::Trees(view.selected.clone()) } else { Selection::All };
    for (title, style, hint) in [
        ("By command", Style::Command, "Decided above, sent down the hierarchy; arrives after its delay."),
        ("By conditions", Style::Condition, "Change the soil, the light, the weather; trees decide."),
        ("Shocks", Style::Shock, "What the world does."),
    ] {
        ui.add_space(6.0);
        ui.label(RichText::new(title).strong().color(palette::style(style).egui())).on_hover_text(hint);
        ui.horizontal_wrapped(|ui| {
            for kind in InterventionKind::ALL.into_iter().filter(|k| k.style() == style) {
                let button =
                    egui::Button::new(kind.label()).stroke(egui::Stroke::new(1.0, palette::style(style).egui()));
                if ui.add(button).on_hover_text(describe(kind)).clicked() {
                    chosen =
                        Some(Intervention { kind, strength: state.strength, duration: state.duration, on: on.clone() });
                }
            }
        });
    }
    ui.add_space(8.0);
    ui.separator();
    ui.label(RichText::new("In force").strong());
    let tick = sim.forest.tick;
    let mut any = false;
    for active in sim.forest.active.iter().filter(|a| a.in_force(tick)) {
        any = true;
        let left = active.start.saturating_add(active.intervention.duration.max(1)).saturating_sub(tick);
        let col = palette::style(active.intervention.kind.style()).egui();
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
    chosen
}

/// What each intervention does, for tooltips.
pub fn describe(kind: InterventionKind) -> &'static str {
    use InterventionKind::*;
    match kind {
        Mandate => {
            "Leadership moves energy from the trees it believes least useful to those it believes most useful — as it sees them through reports that arrive late."
        }
        Target => {
            "Sets a reported-output target above what leadership last saw. Trees may meet it by reporting rather than producing."
        }
        Reorganize => "Rewires links and reporting lines among the chosen trees. Costs attention and trust.",
        EnforceAlignment => {
            "Every tree leans toward where leadership believes the light is; lateral sharing is damped."
        }
        PushHarder => "Demands more effort: more output now, more stress and dropped work.",
        CutWeakest => "Removes the trees with the lowest reported output; their wood falls as litter.",
        OpenFeedback => "Faster, truer signals along links and up the hierarchy.",
        ClarifyValues => "Clearer values make decisions predictable, so trust can grow.",
        CreateSlack => "Less effort and attention load: less output now, room to adapt.",
        EnrichSoil => "Litter turns into nutrients faster: a learning culture.",
        GrowConnections => "New links between nearby trees.",
        LetLightIn => "Trees sense the light directly instead of through signals.",
        Drought => "Production falls.",
        Storm => "Trees lose wood to litter; links break.",
        LightShift => "The light jumps elsewhere.",
        Pest => "Wood drains to litter and the pest spreads along links.",
    }
}

fn legend(ui: &mut Ui) {
    ui.heading("Inspector");
    ui.label("Click a tree to see its state, its flows and why it looks the way it does.");
    ui.add_space(8.0);
    ui.label(RichText::new("What you see").strong());
    for (colour, text) in [
        (palette::get().light, "Light along the top: where opportunity is now. It drifts."),
        (palette::get().calm, "Trees are teams. Height and crown: capability (biomass)."),
        (palette::get().breaking, "Crown colour: stress, from green (calm) through yellow to red (breaking)."),
        (palette::get().leaf, "Falling leaves: dropped work and dead wood."),
        (palette::get().litter, "Litter at the foot: waiting to be recycled."),
        (palette::get().nutrient, "Glow in the soil: nutrients recycled from litter."),
        (palette::get().root, "Roots below: links between teams; thicker carries more."),
        (palette::get().resource, "Amber particles: energy shared along a link, toward where it is useful."),
        (palette::get().signal, "Cyan pulses: feedback, taking the link's real delay; dim when distrusted."),
        (palette::get().command, "Straight lines above: the reporting hierarchy."),
        (palette::get().order, "Red diamonds: orders on their way down."),
    ] {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, colour.egui());
            ui.label(RichText::new(text).small());
        });
    }
}

/// Lays out every glyph the overlay uses at the sizes it uses, without drawing them: egui
/// rasterizes glyphs the first time they are laid out and uploads them a frame later, so a new
/// digit would otherwise flicker blank for one frame, and two recordings could differ.
fn warm_glyphs(painter: &egui::Painter) {
    const GLYPHS: &str =
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~·—–’“”…⏸×÷";
    for size in [12.0, 18.0, 22.0, 34.0, 36.0] {
        let _ = painter.layout_no_wrap(GLYPHS.to_string(), FontId::proportional(size), Color32::WHITE);
    }
}

/// The few numbers an audience needs, top left of `area`: where we are in the story and how the
/// forest is. Wrapped to fit `area`; returns where it was drawn.
fn heads_up(painter: &egui::Painter, area: egui::Rect, sim: &Sim) -> egui::Rect {
    let m = &sim.forest.metrics;
    let chapter = sim
        .timeline
        .chapter_at(sim.forest.tick)
        .map(|(k, c)| format!("{} / {}  {}\n", k + 1, sim.timeline.chapters().len(), c.title))
        .unwrap_or_default();
    let paused = if sim.playing { "" } else { "  ⏸" };
    let text = format!(
        "{chapter}{}  ·  tick {}{paused}\nvitality {:.2}   real value {:.1}   trust {:.2}   alignment {:.2}",
        sim.scene_name(),
        sim.forest.tick,
        m.vitality,
        m.value_real,
        m.trust,
        m.alignment
    );
    let size = 18.0 * palette::get().line;
    let wrap = (area.width() - 40.0).max(120.0);
    let galley = painter.layout(text, FontId::proportional(size), palette::get().text.egui(), wrap);
    let rect = egui::Rect::from_min_size(area.min + egui::vec2(12.0, 12.0), galley.size()).expand(8.0);
    painter.rect_filled(rect, 6.0, Color32::from_black_alpha(150));
    painter.galley(rect.min + egui::vec2(8.0, 8.0), galley, palette::get().text.egui());
    rect
}

fn egui_rect(r: Rect) -> egui::Rect {
    egui::Rect::from_min_max(egui::pos2(r.min.x, r.min.y), egui::pos2(r.max.x, r.max.y))
}

/// A caption across the bottom of the view, on a dark band so it reads over anything.
fn caption(painter: &egui::Painter, area: egui::Rect, text: &str, size: f32) {
    let pos = egui::pos2(area.center().x, area.max.y - size);
    let galley =
        painter.layout(text.to_string(), FontId::proportional(size), palette::get().text.egui(), area.width() * 0.8);
    let rect = Align2::CENTER_BOTTOM.anchor_size(pos, galley.size()).expand(size * 0.4);
    painter.rect_filled(rect, 6.0, Color32::from_black_alpha(170));
    painter.galley(rect.min + egui::vec2(size * 0.4, size * 0.4), galley, palette::get().text.egui());
}

/// Tree names under the ground line, most important first, skipping any that would overlap.
fn tree_labels(painter: &egui::Painter, sim: &Sim, view: &ViewState, shapes: &[super::layout::TreeShape]) {
    let t = &sim.forest.trees;
    let font = FontId::proportional(12.0);
    let char_width = 6.2;
    let rows = 2;
    // Zoomed far out the shapes are groves; then only the heads of groups and the selection are named.
    let candidates: Vec<(u32, f32)> = if aggregated(&sim.forest, view) {
        (0..t.x.len())
            .filter(|&i| {
                (t.children[i] > 0 && t.depth[i] <= 2)
                    || view.selected.contains(&(i as u32))
                    || view.focus == Some(i as u32)
            })
            .map(|i| (i as u32, view.screen_x(t.x[i])))
            .collect()
    } else {
        shapes.iter().map(|s| (s.tree, s.x)).collect()
    };
    let ground = view.bands().ground;
    // Most important first: the inspected tree, the selection, heads of groups, then the biggest.
    let mut order: Vec<(u32, f32)> =
        candidates.into_iter().filter(|&(_, x)| view.rect.min.x <= x && x <= view.rect.max.x).collect();
    let rank = |&(tree, _): &(u32, f32)| {
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
        (first, -(t.biomass[i] * 1000.0) as i64)
    };
    order.sort_by_key(rank);
    let mut taken: Vec<Vec<(f32, f32)>> = vec![Vec::new(); rows];
    let mut placed = 0;
    for (tree, x) in order {
        let i = tree as usize;
        let half = t.name[i].chars().count() as f32 * char_width * 0.5 + 4.0;
        let span = (x - half, x + half);
        let Some(row) = (0..rows).find(|&r| taken[r].iter().all(|&(a, b)| span.1 < a || span.0 > b)) else { continue };
        taken[row].push(span);
        let colour = if t.alive[i] { palette::get().text.egui() } else { palette::get().dead.egui() };
        let pos = egui::pos2(x, ground + 4.0 + row as f32 * 15.0);
        painter.text(
            pos + egui::vec2(1.0, 1.0),
            Align2::CENTER_TOP,
            &t.name[i],
            font.clone(),
            Color32::from_black_alpha(220),
        );
        painter.text(pos, Align2::CENTER_TOP, &t.name[i], font.clone(), colour);
        placed += 1;
        if placed >= 400 {
            break;
        }
    }
}

/// Drawn over the forest: tree names, captions, the error of a scene that failed to load, notices, help.
#[allow(clippy::too_many_arguments)]
fn overlay(
    ctx: &egui::Context,
    sim: &Sim,
    view: &ViewState,
    shapes: &Shapes,
    twin: Option<(&Twin, &TwinShapes)>,
    state: &mut UiState,
    sent: &mut Vec<Control>,
    presenting: bool,
) {
    let area = egui_rect(view.rect);
    let painter =
        ctx.layer_painter(egui::LayerId::new(egui::Order::Middle, egui::Id::new("labels"))).with_clip_rect(area);
    warm_glyphs(&painter);
    let caption_size = if presenting { 34.0 } else { 22.0 };
    let mut halves: Vec<(&Sim, ViewState, &[super::layout::TreeShape])> = Vec::new();
    match twin {
        None => halves.push((sim, view.clone(), &shapes.0)),
        Some((twin, twin_shapes)) => {
            let (left, right) = split(view);
            halves.push((sim, left, &shapes.0));
            halves.push((&twin.sim, right, &twin_shapes.0));
        }
    }
    let comparing = halves.len() > 1;
    for (forest, half, shapes) in &halves {
        let part = egui_rect(half.rect);
        let painter = painter.with_clip_rect(part);
        tree_labels(&painter, forest, half, shapes);
        if let Some(text) = forest.timeline.caption_at(forest.forest.tick) {
            caption(&painter, part, &text, if comparing { caption_size * 0.75 } else { caption_size });
        }
        let hud = presenting.then(|| heads_up(&painter, part, forest));
        if comparing {
            let title = forest.timeline_name.as_deref().unwrap_or("no timeline").to_string();
            let size = 22.0 * palette::get().line;
            let galley = painter.layout_no_wrap(title, FontId::proportional(size), palette::get().text.egui());
            let mut at = egui::pos2(part.max.x - 18.0, part.min.y + 18.0);
            // Top right, or under the heads-up display where a narrow half has no room beside it.
            if let Some(hud) = hud
                && Align2::RIGHT_TOP.anchor_size(at, galley.size()).expand(6.0).intersects(hud.expand(4.0))
            {
                at.y = hud.max.y + 14.0;
            }
            let rect = Align2::RIGHT_TOP.anchor_size(at, galley.size()).expand(6.0);
            painter.rect_filled(rect, 6.0, Color32::from_black_alpha(170));
            painter.galley(rect.min + egui::vec2(6.0, 6.0), galley, palette::get().text.egui());
        }
    }
    if presenting {
        return;
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
            palette::get().light.egui(),
        );
    }
    if state.help {
        egui::Window::new("Welcome to Understory")
            .anchor(Align2::LEFT_TOP, egui::vec2(240.0, 50.0))
            .collapsible(false)
            .resizable(false)
            .default_width(360.0)
            .show(ctx, |ui| {
                ui.label(format!("“{}” — {}", sim.scene_name(), sim.loaded.scene.description));
                ui.add_space(4.0);
                ui.label("Each tree is a team. Light is opportunity; roots share energy and feedback; straight lines above are the chain of command.");
                ui.label("Lead by command (left, red) or by conditions (green), on all trees or on the ones you select, and watch the plots below.");
                ui.label(RichText::new("Space play/pause · . step · [ ] speed · wheel or W/S zoom · right-drag or A/D pan · click a tree to inspect · drag to select · Home to fit").small());
                ui.label(RichText::new("Presenting: H hide controls · P projector colours · F11 fullscreen · Ctrl +/− UI size · PageDown/PageUp or Right/Left arrows chapters · B blank · F12 screenshot · R record · V side by side").small());
                if ui.button("Got it").clicked() {
                    state.help = false;
                }
            });
    }
}
