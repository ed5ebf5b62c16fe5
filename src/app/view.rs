//! The forest view: a cross-section drawn each frame from the model, interpolated between ticks.
//!
//! Sky and moving light above; trees on the ground line, sized by biomass, coloured by stress,
//! leaning toward where they see the light; leaves falling into litter; roots below carrying
//! resources (amber particles) and feedback (cyan pulses that take the link's real delay); the
//! command hierarchy drawn straight from above, with orders in flight; nutrients glowing in the soil.

use bevy::asset::RenderAssetUsages;
use bevy::camera::visibility::NoFrustumCulling;
use bevy::math::Vec2;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy::sprite_render::{AlphaMode2d, ColorMaterial, MeshMaterial2d};
use bevy::window::PrimaryWindow;

use crate::model::{Forest, NONE};

use super::canvas::{Canvas, bezier, hash01};
use super::compare::Twin;
use super::layout::{Bands, TreeShape, ViewState, aggregated, blend, reference_biomass, split, tree_shapes};
use super::palette::{self, ActivePalette};
use super::present::Presentation;
use super::record::Offscreen;
use super::sim::{Previous, Sim};

/// Links drawn at most per pixel of view width; beyond this only the widest are drawn.
const LINKS_PER_PIXEL: f32 = 0.3;
/// Links with moving particles at most per pixel of view width.
const ANIMATED_PER_PIXEL: f32 = 0.15;
/// Feedback pulses are drawn when at most this many links are on screen.
const MAX_LINKS_PULSING: usize = 600;
/// Ticks between feedback pulses sent along a link.
const PULSE_EVERY: f64 = 12.0;

/// Shapes of the trees on screen this frame, for picking and labels.
#[derive(Resource, Default)]
pub struct Shapes(pub Vec<TreeShape>);

/// Shapes of the right-hand forest when two are compared.
#[derive(Resource, Default)]
pub struct TwinShapes(pub Vec<TreeShape>);

/// The two layers of the forest: opaque shapes, then translucent ones over them.
#[derive(Resource)]
struct ForestMesh {
    solid: Handle<Mesh>,
    glass: Handle<Mesh>,
}

/// Vertex buffers for both layers, reused from frame to frame.
#[derive(Default)]
struct Layers {
    solid: Canvas,
    glass: Canvas,
}

/// The system that draws the forest, so others can run before it.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct DrawForest;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ViewState>()
        .init_resource::<ActivePalette>()
        .init_resource::<Shapes>()
        .init_resource::<TwinShapes>()
        .insert_resource(ClearColor(palette::NORMAL.sky_top.into()))
        .add_systems(Startup, spawn_view)
        .add_systems(PostUpdate, draw_forest.in_set(DrawForest));
}

/// The view's camera. No multisampling: on a software renderer it multiplies the cost of every
/// pixel, and the forest's soft-rimmed shapes need little smoothing. The benchmark's empty
/// window uses the same camera, so the two are compared on equal terms.
pub fn camera() -> impl Bundle {
    (Camera2d, Msaa::Off, bevy::core_pipeline::tonemapping::DebandDither::Disabled)
}

fn spawn_view(
    mut commands: Commands,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    offscreen: Option<Res<Offscreen>>,
) {
    match offscreen {
        Some(target) => commands.spawn((camera(), bevy::camera::RenderTarget::Image(target.image.clone().into()))),
        None => commands.spawn(camera()),
    };
    let mut layer = |alpha_mode: AlphaMode2d, z: f32| {
        let mut mesh = Mesh::new(PrimitiveTopology::TriangleList, RenderAssetUsages::default());
        mesh.insert_attribute(Mesh::ATTRIBUTE_POSITION, vec![[0.0f32; 3]; 3]);
        mesh.insert_attribute(Mesh::ATTRIBUTE_COLOR, vec![[0.0f32; 4]; 3]);
        mesh.insert_indices(Indices::U32(vec![0, 1, 2]));
        let handle = meshes.add(mesh);
        commands.spawn((
            Mesh2d(handle.clone()),
            MeshMaterial2d(materials.add(ColorMaterial { alpha_mode, ..ColorMaterial::from_color(Color::WHITE) })),
            Transform::from_xyz(0.0, 0.0, z),
            NoFrustumCulling,
        ));
        handle
    };
    // Two layers so translucent shapes (roots, glows, particles, orders) always draw over the
    // solid ones. Both blend: an opaque pass costs a depth buffer, which measured slower here.
    let solid = layer(AlphaMode2d::Blend, 0.0);
    let glass = layer(AlphaMode2d::Blend, 1.0);
    commands.insert_resource(ForestMesh { solid, glass });
}

/// Model time between ticks: the tick last shown plus the fixed step's progress toward the next.
pub fn model_time(sim: &Sim, overstep: f64) -> (f64, f64) {
    if let Some(time) = sim.clock.video_time() {
        // Recording: the frame's own model time, never the wall clock.
        let alpha = if sim.previous.tick + 1 == sim.forest.tick {
            (time - sim.previous.tick as f64).clamp(0.0, 1.0)
        } else {
            1.0
        };
        return (time, alpha);
    }
    if sim.previous.tick + 1 == sim.forest.tick {
        (sim.previous.tick as f64 + overstep, overstep)
    } else {
        (sim.forest.tick as f64, 1.0)
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_forest(
    sim: Res<Sim>,
    twins: Query<&Twin>,
    mut twin_shapes: ResMut<TwinShapes>,
    view: Res<ViewState>,
    fixed: Res<Time<Fixed>>,
    window: Single<&Window, With<PrimaryWindow>>,
    forest_mesh: Res<ForestMesh>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut shapes: ResMut<Shapes>,
    mut layers: Local<Layers>,
    presentation: Res<Presentation>,
    offscreen: Option<Res<Offscreen>>,
    palette: Res<ActivePalette>,
) {
    let size = match offscreen {
        Some(target) => Vec2::new(target.size.0 as f32, target.size.1 as f32),
        None => Vec2::new(window.width(), window.height()),
    };
    let overstep = fixed.overstep_fraction_f64();
    let (time, alpha) = model_time(&sim, overstep);
    let Layers { solid, glass } = &mut *layers;
    // The first forest beside the main one is shown; each steps on the clock whatever is shown.
    let twin = twins.iter().next();
    solid.begin(size, palette.0);
    glass.begin(size, palette.0);
    let pal = palette.0;
    match twin {
        // Blank (a clicker's blank key): the panels cover the window in black, so draw nothing
        // under them; one empty triangle keeps each mesh valid.
        _ if presentation.blank.is_some() => {
            solid.triangle(Vec2::ZERO, Vec2::ZERO, Vec2::ZERO, pal.sky_top);
            glass.triangle(Vec2::ZERO, Vec2::ZERO, Vec2::ZERO, pal.sky_top);
        }
        None => {
            tree_shapes(&sim.forest, &sim.previous, alpha, &view, &mut shapes.0);
            paint(solid, glass, &sim.forest, &sim.previous, &view, &shapes.0, time, alpha);
            clip(solid, glass, (0, 0), &view);
        }
        Some(twin) if view.ghost => {
            tree_shapes(&sim.forest, &sim.previous, alpha, &view, &mut shapes.0);
            paint(solid, glass, &sim.forest, &sim.previous, &view, &shapes.0, time, alpha);
            let (_, other_alpha) = model_time(&twin.sim, overstep);
            tree_shapes(&twin.sim.forest, &twin.sim.previous, other_alpha, &view, &mut twin_shapes.0);
            ghost(glass, &twin_shapes.0);
            clip(solid, glass, (0, 0), &view);
        }
        Some(twin) => {
            let (left, right) = split(&view);
            tree_shapes(&sim.forest, &sim.previous, alpha, &left, &mut shapes.0);
            paint(solid, glass, &sim.forest, &sim.previous, &left, &shapes.0, time, alpha);
            clip(solid, glass, (0, 0), &left);
            let marks = (solid.mark(), glass.mark());
            let (time, alpha) = model_time(&twin.sim, overstep);
            tree_shapes(&twin.sim.forest, &twin.sim.previous, alpha, &right, &mut twin_shapes.0);
            paint(solid, glass, &twin.sim.forest, &twin.sim.previous, &right, &twin_shapes.0, time, alpha);
            clip(solid, glass, marks, &right);
            let r = view.rect;
            solid.rect(Vec2::new(left.rect.max.x, r.min.y), Vec2::new(right.rect.min.x, r.max.y), pal.sky_top);
        }
    }
    for (canvas, handle) in [(solid, &forest_mesh.solid), (glass, &forest_mesh.glass)] {
        let Some(mut mesh) = meshes.get_mut(handle) else { continue };
        mesh.insert_attribute(Mesh::ATTRIBUTE_POSITION, std::mem::take(&mut canvas.positions));
        mesh.insert_attribute(Mesh::ATTRIBUTE_COLOR, std::mem::take(&mut canvas.colors));
        mesh.insert_indices(Indices::U32(std::mem::take(&mut canvas.indices)));
    }
}

/// The other future over this forest: each of its trees as a trunk line and a translucent
/// crown with a bright rim, in the colour its line has on the plots, so the room sees where the
/// two futures part (a crown larger, smaller, leaning elsewhere, or gone).
fn ghost(glass: &mut Canvas, shapes: &[TreeShape]) {
    let p = glass.palette;
    let colour = p.resource;
    for s in shapes.iter().filter(|s| s.alive) {
        glass.line(Vec2::new(s.x, s.ground), s.top, (0.35 * s.trunk_width).max(1.5), colour.alpha(0.55));
        glass.disc(s.top, s.crown_radius, 40, colour.alpha(0.16), colour.alpha(0.16));
        glass.ring(s.top, s.crown_radius, 2.5 * p.line, colour.alpha(0.9));
    }
}

/// Keeps what was painted since `marks` inside the view's rectangle, off the panels around it.
fn clip(solid: &mut Canvas, glass: &mut Canvas, marks: (usize, usize), view: &ViewState) {
    solid.clip_since(marks.0, view.rect.min, view.rect.max);
    glass.clip_since(marks.1, view.rect.min, view.rect.max);
}

/// Everything in the forest view, back to front.
#[allow(clippy::too_many_arguments)]
pub fn paint(
    solid: &mut Canvas,
    glass: &mut Canvas,
    forest: &Forest,
    previous: &Previous,
    view: &ViewState,
    shapes: &[TreeShape],
    time: f64,
    alpha: f64,
) {
    let pal = solid.palette;
    let b = view.bands();
    sky_and_light(solid, forest, view, &b);
    solid.rect_gradient(Vec2::new(b.left, b.ground), Vec2::new(b.right, b.bottom), pal.soil_top, pal.soil_deep);
    let reference = reference_biomass(forest) as f32;
    let groves = aggregated(forest, view);
    for s in shapes {
        nutrients(glass, s, &b, reference, time, groves);
    }
    roots(glass, forest, previous, view, &b, time, alpha);
    for s in shapes {
        tree(solid, glass, forest, s, reference, time);
    }
    solid.rect(Vec2::new(b.left, b.ground - 1.0), Vec2::new(b.right, b.ground + 1.0), pal.ground_line);
    command(glass, forest, view, &b, shapes, time);
    for s in shapes.iter().filter(|s| view.selected.contains(&s.tree)) {
        let width = if view.focus == Some(s.tree) { 3.0 } else { 1.5 };
        glass.ring(s.top, s.crown_radius + 4.0, width, pal.selected.alpha(0.9));
    }
    if let Some(s) = view.focus.and_then(|f| shapes.iter().find(|s| s.tree == f))
        && !view.selected.contains(&s.tree)
    {
        glass.ring(s.top, s.crown_radius + 4.0, 2.0, pal.selected.alpha(0.6));
    }
    if let Some((a, z)) = view.dragging {
        let (min, max) = (a.min(z), a.max(z));
        glass.rect(min, max, pal.selected.alpha(0.08));
        glass.frame(min, max, 1.0, pal.selected.alpha(0.5));
    }
}

/// The sky in columns, each lit by the light above it: one layer of pixels, no overdraw.
fn sky_and_light(c: &mut Canvas, forest: &Forest, view: &ViewState, b: &Bands) {
    let pal = c.palette;
    let cfg = &forest.light.config;
    let step = 4.0f32;
    let mut x = b.left;
    while x < b.right {
        let fx = view.forest_x(x + step * 0.5).rem_euclid(1.0);
        let patch = ((forest.light.at(fx) - cfg.ambient) / cfg.peak.max(1e-6)).clamp(0.0, 1.0) as f32;
        let (x0, x1) = (x, (x + step).min(b.right));
        // The light itself: a band across the top, brighter where opportunity is.
        let strip = pal.sky_top.mix(pal.light, 0.12 + 0.8 * patch);
        c.rect_gradient(
            Vec2::new(x0, b.top),
            Vec2::new(x1, b.light_bottom),
            strip,
            pal.sky_top.mix(pal.light, 0.05 + 0.5 * patch),
        );
        // Shafts falling toward the canopy where the patches are; elsewhere the clear colour is
        // the night sky, and leaving it unpainted saves the software renderer those pixels.
        if patch > 0.02 {
            let high = pal.sky_top.mix(pal.light, 0.3 * patch);
            let low = pal.sky_top.mix(pal.light, 0.05 * patch);
            c.rect_gradient(Vec2::new(x0, b.light_bottom), Vec2::new(x1, b.ground), high, low);
        }
        x += step;
    }
}

fn nutrients(c: &mut Canvas, s: &TreeShape, b: &Bands, reference: f32, time: f64, groves: bool) {
    let pal = c.palette;
    let amount = (s.nutrients.max(0.0) / reference).sqrt();
    let r = s.crown_radius.max(3.0) * amount.min(0.9);
    if r < 0.5 {
        return;
    }
    let centre = Vec2::new(s.x, s.ground + (b.bottom - b.ground) * 0.1);
    let glow = pal.nutrient;
    if groves {
        // Zoomed out: a glowing column under each grove, as deep as its soil is rich. Far fewer
        // pixels than overlapping discs, which the software renderer pays for one by one.
        let depth = (b.bottom - b.ground) * 0.25 * amount.min(1.0);
        c.rect_gradient(
            Vec2::new(s.x - 3.0, s.ground + 2.0),
            Vec2::new(s.x + 3.0, s.ground + 2.0 + depth),
            glow.alpha(0.35),
            glow.alpha(0.0),
        );
        return;
    }
    c.disc(centre, r, 12, glow.alpha(0.22), glow.alpha(0.0));
    // Litter sinking into the soil and turning into nutrients.
    if s.litter > 0.0 && s.crown_radius >= 3.0 {
        for k in 0..2u64 {
            let phase = ((time / 16.0 + hash01(s.tree as u64, k) as f64).fract()) as f32;
            let p = Vec2::new(
                s.x + (hash01(k, s.tree as u64) - 0.5) * s.crown_radius,
                s.ground + phase * (centre.y - s.ground),
            );
            let col = pal.litter.mix(pal.nutrient, phase).alpha(0.9);
            c.disc(p, 1.6, 5, col, col);
        }
    }
}

fn link_arc(view: &ViewState, b: &Bands, xa: f64, xb: f64) -> (Vec2, Vec2, Vec2) {
    let (sa, sb) = (view.screen_x(xa), view.screen_x(xb));
    let soil = b.bottom - b.ground;
    let depth = soil * (0.18 + 0.7 * ((sb - sa).abs() / view.rect.width().max(1.0)).min(1.0)).min(0.92);
    let a = Vec2::new(sa, b.ground + 2.0);
    let z = Vec2::new(sb, b.ground + 2.0);
    let control = Vec2::new((sa + sb) * 0.5, b.ground + 2.0 * depth);
    (a, control, z)
}

fn roots(c: &mut Canvas, forest: &Forest, previous: &Previous, view: &ViewState, b: &Bands, time: f64, alpha: f64) {
    let pal = c.palette;
    let links = &forest.links;
    let t = &forest.trees;
    let mut visible: Vec<usize> = (0..links.len())
        .filter(|&l| {
            let (sa, sb) = (view.screen_x(t.x[links.a[l] as usize]), view.screen_x(t.x[links.b[l] as usize]));
            sa.max(sb) >= b.left && sa.min(sb) <= b.right
        })
        .collect();
    let on_screen = visible.len();
    let width = view.rect.width().max(1.0);
    let most = (width * LINKS_PER_PIXEL) as usize;
    if visible.len() > most {
        visible.select_nth_unstable_by(most, |&x, &y| links.capacity[y].total_cmp(&links.capacity[x]));
        visible.truncate(most);
    }
    let widest = visible.iter().map(|&l| links.capacity[l]).fold(1e-9, f64::max);
    let strongest = visible.iter().map(|&l| blend(&previous.flow, &links.flow, l, alpha).abs()).fold(1e-12, f64::max);
    let crowded = (on_screen as f32 / 400.0).max(1.0);
    for &l in &visible {
        let (a, b_) = (links.a[l] as usize, links.b[l] as usize);
        let (p0, ctrl, p1) = link_arc(view, b, t.x[a], t.x[b_]);
        let span = (p1.x - p0.x).abs();
        let segments = ((span / 24.0) as u32).clamp(3, 10);
        let trust = (0.5 * (t.trust[a] + t.trust[b_])) as f32;
        let width = (0.8 + 3.2 * (links.capacity[l] / widest).sqrt() as f32) / crowded.sqrt().min(3.0) * pal.line;
        let col = pal.root.alpha((0.18 + 0.45 * trust) / crowded);
        let mut prev = p0;
        for k in 1..=segments {
            let p = bezier(p0, ctrl, p1, k as f32 / segments as f32);
            c.line(prev, p, width, col);
            prev = p;
        }
    }
    // Resources: amber particles, as many as the flow is strong, moving the way it goes, one
    // crossing per link delay.
    let animated = visible.len().min((width * ANIMATED_PER_PIXEL) as usize);
    for &l in &visible[..animated] {
        let flow = blend(&previous.flow, &links.flow, l, alpha);
        let count = (7.0 * (flow.abs() / strongest).sqrt() / crowded.sqrt() as f64).round() as u32;
        if count == 0 {
            continue;
        }
        let (a, b_) = (links.a[l] as usize, links.b[l] as usize);
        let (p0, ctrl, p1) = link_arc(view, b, t.x[a], t.x[b_]);
        let crossing = (links.effective_delay[l] as f64 + 1.0).max(1.0);
        for k in 0..count {
            let s = ((time / crossing + k as f64 / count as f64).fract()) as f32;
            let s = if flow >= 0.0 { s } else { 1.0 - s };
            let p = bezier(p0, ctrl, p1, s);
            let r = 1.8 * pal.line;
            c.rect(p - Vec2::splat(r), p + Vec2::splat(r), pal.resource);
        }
    }
    // Feedback: a pulse leaves each end every few ticks and arrives exactly the link's delay later.
    if on_screen <= MAX_LINKS_PULSING {
        for &l in &visible {
            let (a, b_) = (links.a[l] as usize, links.b[l] as usize);
            let (p0, ctrl, p1) = link_arc(view, b, t.x[a], t.x[b_]);
            let delay = links.effective_delay[l].max(1) as f64;
            let first = ((time - delay) / PULSE_EVERY).ceil().max(0.0) as i64;
            let last = (time / PULSE_EVERY).floor() as i64;
            for k in first..=last {
                let s = ((time - k as f64 * PULSE_EVERY) / delay) as f32;
                if !(0.0..=1.0).contains(&s) {
                    continue;
                }
                // Fidelity: a pulse from a stressed, distrusted sender is dimmer.
                for (from, pos) in [(a, s), (b_, 1.0 - s)] {
                    let fidelity = (t.trust[from] * (1.0 - 0.5 * t.stress[from].min(1.0))) as f32;
                    let p = bezier(p0, ctrl, p1, pos);
                    let col = pal.signal.alpha(0.35 + 0.65 * fidelity);
                    c.disc(p, 2.8 * pal.line, 8, col, pal.signal.alpha(0.0));
                }
            }
        }
    }
}

fn node(view: &ViewState, b: &Bands, forest: &Forest, i: usize, levels: u32) -> Vec2 {
    Vec2::new(view.screen_x(forest.trees.x[i]), b.command_y(forest.trees.depth[i], levels))
}

fn command(c: &mut Canvas, forest: &Forest, view: &ViewState, b: &Bands, shapes: &[TreeShape], time: f64) {
    let pal = c.palette;
    let t = &forest.trees;
    let levels = t.depth.iter().copied().max().unwrap_or(0) + 1;
    if levels <= 1 {
        return;
    }
    // Zoomed out, only the upper levels of the hierarchy are drawn: as many as have room.
    let mut per_level = vec![0usize; levels as usize];
    for i in 0..t.x.len() {
        let x = view.screen_x(t.x[i]);
        if t.alive[i] && x >= b.left && x <= b.right {
            per_level[t.depth[i] as usize] += 1;
        }
    }
    let room = (b.right - b.left) / 6.0;
    // The top and its direct reports are always drawn, as a fan where they are many (a flat
    // hierarchy would otherwise show as a single dot).
    let deepest = (per_level.iter().position(|&count| count as f32 > room).unwrap_or(levels as usize) as u32).max(2);
    let line = pal.command.alpha(0.45);
    let margin = 200.0;
    let mut shape_of = vec![u32::MAX; t.x.len()];
    for (k, s) in shapes.iter().enumerate() {
        shape_of[s.tree as usize] = k as u32;
    }
    #[allow(clippy::needless_range_loop)] // `i` indexes several per-tree arrays at once.
    for i in 0..t.x.len() {
        if !t.alive[i] || t.depth[i] >= deepest.max(1) {
            continue;
        }
        let here = node(view, b, forest, i, levels);
        let has_children = t.children[i] > 0;
        let up = (t.parent[i] != NONE).then(|| node(view, b, forest, t.parent[i] as usize, levels));
        let visible = |p: Vec2| p.x >= b.left - margin && p.x <= b.right + margin;
        if !visible(here) && !up.is_some_and(|u| visible(u) || (u.x < b.left) != (here.x < b.left)) {
            continue;
        }
        if let Some(up) = up {
            c.line(up, here, 1.2 * pal.line, line);
        }
        if t.parent[i] != NONE || has_children {
            if let Some(s) = shapes.get(shape_of[i] as usize) {
                c.line(here, Vec2::new(s.top.x, s.crown_top()), 0.8, pal.command.alpha(0.18));
            }
            let h = if has_children { 3.0 } else { 1.8 };
            c.rect(here - Vec2::splat(h), here + Vec2::splat(h), pal.command.alpha(0.9));
        }
    }
    // Decisions in flight: diamonds travelling down the reporting line, in the colour of their
    // family, arriving when the model delivers them; large enough to follow at 1×.
    let r = 5.5 * pal.line.sqrt() * 1.2;
    for order in forest.orders_in_flight() {
        let i = order.tree as usize;
        let sx = view.screen_x(t.x[i]);
        if sx < b.left - 200.0 || sx > b.right + 200.0 {
            continue;
        }
        let mut path = vec![];
        let mut at = i;
        while t.parent[at] != NONE {
            path.push(node(view, b, forest, at, levels));
            at = t.parent[at] as usize;
        }
        path.push(node(view, b, forest, at, levels));
        path.reverse();
        let span = (order.arrives - order.issued).max(1) as f64;
        let progress = ((time - order.issued as f64) / span).clamp(0.0, 1.0) as f32;
        let p = along(&path, progress);
        let family = pal.style(order.kind.style());
        let col = if order.takes { family } else { family.mix(pal.light, 0.3) };
        // A short trail behind it, so a fast order still reads as travelling.
        let behind = along(&path, (progress - 0.25).max(0.0));
        c.line(behind, p, 2.0 * pal.line, col.alpha(0.35));
        c.triangle(p + Vec2::new(0.0, -r), p + Vec2::new(r, 0.0), p + Vec2::new(0.0, r), col);
        c.triangle(p + Vec2::new(0.0, -r), p + Vec2::new(0.0, r), p + Vec2::new(-r, 0.0), col);
    }
    // Where a decision landed: a ring at the tree's crown that widens and fades over 12 ticks.
    const RING_TICKS: f64 = 12.0;
    let mut shape_at = vec![u32::MAX; t.x.len()];
    for (k, s) in shapes.iter().enumerate() {
        shape_at[s.tree as usize] = k as u32;
    }
    for (i, causes) in t.causes.iter().enumerate() {
        let Some(s) = shapes.get(shape_at[i] as usize) else { continue };
        if s.top.x < b.left - 50.0 || s.top.x > b.right + 50.0 {
            continue;
        }
        // The newest decision that came down the hierarchy.
        let Some((cause, kind)) = causes
            .iter()
            .rev()
            .filter(|c| matches!(c.route, crate::model::CauseRoute::Directive | crate::model::CauseRoute::Condition))
            .find_map(|c| c.kind.map(|k| (c, k)))
        else {
            continue;
        };
        let age = time - cause.tick as f64;
        if !(0.0..RING_TICKS).contains(&age) {
            continue;
        }
        let fade = (1.0 - age / RING_TICKS) as f32;
        let radius = s.crown_radius + 4.0 + 14.0 * (1.0 - fade);
        c.ring(s.top, radius, 1.5 * pal.line, pal.style(kind.style()).alpha(0.6 * fade));
    }
}

/// The point a fraction of the way along a polyline.
fn along(path: &[Vec2], fraction: f32) -> Vec2 {
    if path.len() < 2 {
        return path.first().copied().unwrap_or_default();
    }
    let total: f32 = path.windows(2).map(|w| w[0].distance(w[1])).sum();
    let mut left = total * fraction;
    for w in path.windows(2) {
        let d = w[0].distance(w[1]);
        if left <= d && d > 0.0 {
            return w[0].lerp(w[1], left / d);
        }
        left -= d;
    }
    path[path.len() - 1]
}

fn tree(c: &mut Canvas, glass: &mut Canvas, forest: &Forest, s: &TreeShape, reference: f32, time: f64) {
    let pal = c.palette;
    let t = &forest.trees;
    let i = s.tree as usize;
    let foot = Vec2::new(s.x, s.ground);
    // Litter at the foot.
    let litter = (s.litter.max(0.0) / reference).sqrt();
    if litter > 0.01 {
        let r = s.crown_radius.max(2.0);
        let w = r * (0.4 + 0.5 * litter.min(1.2));
        c.mound(foot + Vec2::new(0.0, 1.0), w, r * 0.3 * litter.min(1.0), pal.litter);
    }
    if !s.alive {
        let snag = foot.lerp(s.top, 0.45);
        c.line(foot, snag, s.trunk_width, pal.dead);
        return;
    }
    c.line(foot, s.top, s.trunk_width, pal.trunk);
    let segments = if s.crown_radius > 12.0 {
        18
    } else if s.crown_radius > 4.0 {
        10
    } else {
        6
    };
    let colour = pal.crown(s.stress);
    c.disc(s.top, s.crown_radius, segments, colour.mix(pal.light, 0.12), colour.mix(pal.sky_top, 0.25));
    // Falling leaves, as many as the tree dropped this tick, each on its own fixed path.
    let fall = t.litterfall[i].max(0.0) / t.biomass[i].max(1e-9);
    let leaves = ((fall * 600.0).ceil() as u64).min(5);
    if s.crown_radius >= 3.0 {
        for k in 0..leaves {
            let seed = hash01(i as u64, k + 11);
            let phase = ((time / 24.0 + seed as f64).fract()) as f32;
            let start = s.top + Vec2::new((seed - 0.5) * 1.6 * s.crown_radius, 0.0);
            let y = start.y + phase * (s.ground - start.y);
            let x = start.x + (phase * 9.0 + seed * 6.0).sin() * s.crown_radius * 0.35;
            let p = Vec2::new(x, y);
            glass.triangle(
                p + Vec2::new(-2.0, 0.0),
                p + Vec2::new(0.0, -1.5),
                p + Vec2::new(2.0, 0.5),
                pal.leaf.alpha(1.0 - 0.5 * phase),
            );
        }
    }
}
