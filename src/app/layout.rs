//! Where things are on screen: the view's pan and zoom, the bands of the cross-section, and each
//! tree's shape, shared by drawing, picking and labels.
//!
//! Screen coordinates here are logical pixels with the origin at the window's top-left, y down.

use bevy::math::{Rect, Vec2};
use bevy::prelude::Resource;

use crate::model::Forest;

use super::sim::Previous;

/// Closest and farthest zoom: forest widths across the view.
pub const MIN_ZOOM: f64 = 1.0;
pub const MAX_ZOOM: f64 = 2000.0;

/// Share of the view's width left empty on each side at zoom 1.
const EDGE: f64 = 0.03;

/// Pan, zoom and selection of the forest view.
#[derive(Resource, Debug, Clone)]
pub struct ViewState {
    /// Forest position (0 to 1) at the centre of the view.
    pub center: f64,
    /// How many times the whole forest's width the view is magnified.
    pub zoom: f64,
    /// The area the forest is drawn in (the window minus the panels).
    pub rect: Rect,
    /// Trees chosen as the target of interventions.
    pub selected: Vec<u32>,
    /// The tree shown in the inspector.
    pub focus: Option<u32>,
    /// A box selection being dragged, in screen coordinates.
    pub dragging: Option<(Vec2, Vec2)>,
    /// Height at the top of the view that the heads-up display covers while presenting: the
    /// hierarchy is drawn below it, so no figure hides a line of command.
    pub top_inset: f32,
    /// With two forests: the other drawn as a ghost over this one instead of beside it.
    pub ghost: bool,
}

impl Default for ViewState {
    fn default() -> Self {
        Self {
            center: 0.5,
            zoom: 1.0,
            rect: Rect::new(0.0, 0.0, 1280.0, 720.0),
            selected: Vec::new(),
            focus: None,
            dragging: None,
            top_inset: 0.0,
            ghost: false,
        }
    }
}

impl ViewState {
    /// Pixels per forest width; at zoom 1 the forest fills the view with a small margin each side.
    pub fn scale(&self) -> f64 {
        self.rect.width().max(1.0) as f64 * (1.0 - 2.0 * EDGE) * self.zoom
    }

    pub fn screen_x(&self, x: f64) -> f32 {
        (self.rect.center().x as f64 + (x - self.center) * self.scale()) as f32
    }

    pub fn forest_x(&self, screen_x: f32) -> f64 {
        self.center + (screen_x - self.rect.center().x) as f64 / self.scale()
    }

    /// Zooms by `factor`, keeping the forest point under `anchor` (a screen x) where it is.
    pub fn zoom_at(&mut self, factor: f64, anchor: f32) {
        let before = self.forest_x(anchor);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let after = self.forest_x(anchor);
        self.center += before - after;
        self.clamp_center();
    }

    pub fn pan_pixels(&mut self, dx: f32) {
        self.center -= dx as f64 / self.scale();
        self.clamp_center();
    }

    pub fn clamp_center(&mut self) {
        let half = 0.5 / (self.zoom * (1.0 - 2.0 * EDGE));
        self.center = if half >= 0.5 { 0.5 } else { self.center.clamp(half, 1.0 - half) };
    }

    pub fn bands(&self) -> Bands {
        let r = self.rect;
        let h = r.height().max(1.0);
        let inset = self.top_inset.clamp(0.0, 0.3 * h);
        Bands {
            top: r.min.y,
            light_bottom: r.min.y + 0.07 * h,
            command_top: r.min.y + (0.10 * h).max(inset + 0.03 * h),
            ground: r.min.y + 0.62 * h,
            bottom: r.max.y,
            left: r.min.x,
            right: r.max.x,
        }
    }
}

/// The two halves of the view when two forests are compared side by side, with a gap between.
pub fn split(view: &ViewState) -> (ViewState, ViewState) {
    let r = view.rect;
    let gap = 6.0;
    let middle = r.center().x;
    let mut left = view.clone();
    left.rect = Rect::new(r.min.x, r.min.y, middle - gap * 0.5, r.max.y);
    let mut right = view.clone();
    right.rect = Rect::new(middle + gap * 0.5, r.min.y, r.max.x, r.max.y);
    right.dragging = None;
    (left, right)
}

/// Horizontal bands of the cross-section, top to bottom.
#[derive(Debug, Clone, Copy)]
pub struct Bands {
    pub top: f32,
    /// The strip where the light itself is drawn ends here.
    pub light_bottom: f32,
    /// The command hierarchy is drawn from here down.
    pub command_top: f32,
    pub ground: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
}

impl Bands {
    /// Tallest a tree may be drawn.
    pub fn canopy_room(&self) -> f32 {
        (self.ground - self.command_top) * 0.62
    }

    /// Height of the hierarchy line for reporting depth `depth` of `levels`.
    pub fn command_y(&self, depth: u32, levels: u32) -> f32 {
        let room = (self.ground - self.command_top) * 0.3;
        self.command_top + room * depth as f32 / levels.max(1) as f32
    }
}

/// One tree as drawn, in screen coordinates.
#[derive(Debug, Clone, Copy, Default)]
pub struct TreeShape {
    pub tree: u32,
    pub x: f32,
    pub ground: f32,
    /// Top of the trunk, where the crown sits (leaning).
    pub top: Vec2,
    pub crown_radius: f32,
    pub trunk_width: f32,
    pub stress: f32,
    pub litter: f32,
    pub nutrients: f32,
    pub alive: bool,
}

impl TreeShape {
    pub fn crown_top(&self) -> f32 {
        self.top.y - self.crown_radius
    }

    /// Whether a screen point is on this tree (crown or trunk), with some slack for small trees.
    pub fn hit(&self, p: Vec2) -> f32 {
        let slack = 4.0;
        let to_crown = p.distance(self.top) - self.crown_radius;
        let on_trunk = (p.x - self.x).abs() < self.trunk_width.max(3.0) && p.y <= self.ground && p.y >= self.top.y;
        if on_trunk {
            0.0
        } else if to_crown < slack {
            to_crown.max(0.0)
        } else {
            f32::INFINITY
        }
    }
}

/// A value between the previous tick's and this tick's.
pub fn blend(previous: &[f64], now: &[f64], i: usize, alpha: f64) -> f64 {
    match previous.get(i) {
        Some(p) if previous.len() == now.len() => p + (now[i] - p) * alpha,
        _ => now[i],
    }
}

/// Typical biomass, so tree sizes are drawn relative to the forest's own trees.
pub fn reference_biomass(forest: &Forest) -> f64 {
    let t = &forest.trees;
    let n = t.size.len().max(1) as f64;
    (t.size.iter().sum::<f64>() / n).max(1e-6)
}

/// Below this many pixels between trees, neighbouring trees are drawn together as groves.
pub const GROVE_BELOW: f64 = 3.0;
/// Width of a grove in pixels.
const GROVE_WIDTH: f32 = 7.0;

/// Whether the view is zoomed out far enough to draw groves instead of single trees.
pub fn aggregated(forest: &Forest, view: &ViewState) -> bool {
    view.scale() / (forest.trees.x.len().max(1) as f64) < GROVE_BELOW
}

/// Shapes of the trees whose x is on screen (with a margin), in tree order; when zoomed far out,
/// one shape per grove of neighbouring trees, sized by their summed biomass and coloured by
/// their biomass-weighted stress, standing for its biggest tree.
pub fn tree_shapes(forest: &Forest, previous: &Previous, alpha: f64, view: &ViewState, out: &mut Vec<TreeShape>) {
    out.clear();
    let t = &forest.trees;
    let bands = view.bands();
    let n = t.x.len().max(1);
    let spacing = view.scale() / n as f64;
    // Trees get as big as their spacing allows, within limits that keep them legible and apart.
    let base = (spacing * 0.42).clamp(2.5, 34.0) as f32;
    let reference = reference_biomass(forest);
    let room = bands.canopy_room();
    let margin = 80.0;
    let shape =
        |tree: usize, x: f32, biomass: f64, lean: f32, stress: f32, litter: f32, nutrients: f32, alive: bool| {
            let relative = (biomass / reference).sqrt() as f32;
            let crown_radius = (base * relative).clamp(1.5, room * 0.3);
            let height = (base * 2.2 * relative + crown_radius).min(room);
            TreeShape {
                tree: tree as u32,
                x,
                ground: bands.ground,
                top: Vec2::new(x + lean * height * 0.35, bands.ground - height),
                crown_radius,
                trunk_width: (crown_radius * 0.22).max(1.0),
                stress,
                litter,
                nutrients,
                alive,
            }
        };
    if spacing >= GROVE_BELOW {
        for i in 0..t.x.len() {
            let x = view.screen_x(t.x[i]);
            if x < bands.left - margin || x > bands.right + margin {
                continue;
            }
            out.push(shape(
                i,
                x,
                blend(&previous.biomass, &t.biomass, i, alpha).max(0.0),
                blend(&previous.lean, &t.lean, i, alpha) as f32,
                blend(&previous.stress, &t.stress, i, alpha) as f32,
                blend(&previous.litter, &t.litter, i, alpha) as f32,
                blend(&previous.nutrients, &t.nutrients, i, alpha) as f32,
                t.alive[i],
            ));
        }
        return;
    }
    #[derive(Clone, Copy, Default)]
    struct Grove {
        biomass: f64,
        stress: f64,
        lean: f64,
        litter: f64,
        nutrients: f64,
        trees: u32,
        biggest: Option<(usize, f64)>,
    }
    let left = bands.left - margin;
    let bins = ((bands.right + margin - left) / GROVE_WIDTH).ceil() as usize + 1;
    let mut groves = vec![Grove::default(); bins];
    for i in 0..t.x.len() {
        let x = view.screen_x(t.x[i]);
        if x < left || x > bands.right + margin {
            continue;
        }
        let g = &mut groves[(((x - left) / GROVE_WIDTH) as usize).min(bins - 1)];
        g.litter += blend(&previous.litter, &t.litter, i, alpha);
        g.nutrients += blend(&previous.nutrients, &t.nutrients, i, alpha);
        g.trees += 1;
        if !t.alive[i] {
            continue;
        }
        let b = blend(&previous.biomass, &t.biomass, i, alpha).max(0.0);
        g.biomass += b;
        g.stress += b * blend(&previous.stress, &t.stress, i, alpha);
        g.lean += b * blend(&previous.lean, &t.lean, i, alpha);
        if g.biggest.is_none_or(|(_, most)| b > most) {
            g.biggest = Some((i, b));
        }
    }
    for (k, g) in groves.iter().enumerate() {
        let Some((tree, _)) = g.biggest else { continue };
        let weight = g.biomass.max(1e-12);
        let x = left + (k as f32 + 0.5) * GROVE_WIDTH;
        out.push(shape(
            tree,
            x,
            g.biomass,
            (g.lean / weight) as f32,
            (g.stress / weight) as f32,
            // Litter and soil per tree: a grove's ground is as rich as its trees' ground.
            (g.litter / g.trees as f64) as f32,
            (g.nutrients / g.trees as f64) as f32,
            true,
        ));
    }
}

/// The tree under a screen point, if any.
pub fn pick(shapes: &[TreeShape], p: Vec2) -> Option<u32> {
    shapes
        .iter()
        .filter(|s| s.alive || p.y <= s.ground)
        .map(|s| (s.hit(p), s.tree))
        .filter(|(d, _)| d.is_finite())
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, t)| t)
}

/// Trees whose foot lies between two screen x positions.
pub fn in_span(forest: &Forest, view: &ViewState, a: f32, b: f32) -> Vec<u32> {
    let (lo, hi) = (view.forest_x(a.min(b)), view.forest_x(a.max(b)));
    let t = &forest.trees;
    (0..t.x.len()).filter(|&i| t.alive[i] && t.x[i] >= lo && t.x[i] <= hi).map(|i| i as u32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooming_keeps_the_point_under_the_cursor() {
        let mut view = ViewState::default();
        let anchor = 300.0;
        view.zoom_at(4.0, anchor);
        let before = view.forest_x(anchor);
        view.zoom_at(2.0, anchor);
        assert!((view.forest_x(anchor) - before).abs() < 1e-9);
    }

    #[test]
    fn the_whole_forest_fits_at_zoom_one() {
        let view = ViewState::default();
        assert!(view.screen_x(0.0) > view.rect.min.x && view.screen_x(0.0) < view.rect.min.x + 60.0);
        assert!(view.screen_x(1.0) < view.rect.max.x && view.screen_x(1.0) > view.rect.max.x - 60.0);
    }
}
