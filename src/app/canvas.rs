//! A vertex-coloured triangle list built fresh each frame; the forest is two of them (solid, then translucent).
//!
//! Shapes are given in screen coordinates (top-left origin, y down) and stored in the 2D camera's
//! world coordinates (centre origin, y up, one unit per logical pixel). Later shapes cover earlier ones.

use bevy::math::Vec2;

use super::palette::{NORMAL, Palette, Rgba};

pub struct Canvas {
    pub positions: Vec<[f32; 3]>,
    pub colors: Vec<[f32; 4]>,
    pub indices: Vec<u32>,
    half: Vec2,
    /// Reused by `clip_since` for the triangles it keeps.
    clipped: Vec<u32>,
    /// The palette this frame is drawn in.
    pub palette: &'static Palette,
}

impl Default for Canvas {
    fn default() -> Self {
        Self {
            positions: Vec::new(),
            colors: Vec::new(),
            indices: Vec::new(),
            half: Vec2::ZERO,
            clipped: Vec::new(),
            palette: &NORMAL,
        }
    }
}

impl Canvas {
    /// Starts a frame for a window of `size` logical pixels, in `palette`.
    pub fn begin(&mut self, size: Vec2, palette: &'static Palette) {
        self.positions.clear();
        self.colors.clear();
        self.indices.clear();
        self.half = size * 0.5;
        self.palette = palette;
    }

    fn vertex(&mut self, p: Vec2, color: [f32; 4]) -> u32 {
        let i = self.positions.len() as u32;
        self.positions.push([p.x - self.half.x, self.half.y - p.y, 0.0]);
        self.colors.push(color);
        i
    }

    pub fn triangle(&mut self, a: Vec2, b: Vec2, c: Vec2, color: Rgba) {
        let col = color.linear();
        let i = self.vertex(a, col);
        self.vertex(b, col);
        self.vertex(c, col);
        self.indices.extend_from_slice(&[i, i + 1, i + 2]);
    }

    /// A quad with a colour at its top edge and another at its bottom edge.
    pub fn quad_gradient(&mut self, corners: [Vec2; 4], top: Rgba, bottom: Rgba) {
        let (t, b) = (top.linear(), bottom.linear());
        let i = self.vertex(corners[0], t);
        self.vertex(corners[1], t);
        self.vertex(corners[2], b);
        self.vertex(corners[3], b);
        self.indices.extend_from_slice(&[i, i + 1, i + 2, i, i + 2, i + 3]);
    }

    pub fn rect(&mut self, min: Vec2, max: Vec2, color: Rgba) {
        self.rect_gradient(min, max, color, color);
    }

    pub fn rect_gradient(&mut self, min: Vec2, max: Vec2, top: Rgba, bottom: Rgba) {
        self.quad_gradient([min, Vec2::new(max.x, min.y), max, Vec2::new(min.x, max.y)], top, bottom);
    }

    /// A straight band from `a` to `b`, `width` pixels wide.
    pub fn line(&mut self, a: Vec2, b: Vec2, width: f32, color: Rgba) {
        let d = b - a;
        let len = d.length();
        if len < 1e-4 {
            return;
        }
        let n = Vec2::new(-d.y, d.x) / len * (width * 0.5);
        self.quad_gradient([a + n, b + n, b - n, a - n], color, color);
    }

    /// A filled circle with `segments` sides; its rim may fade to `rim`.
    pub fn disc(&mut self, c: Vec2, r: f32, segments: u32, color: Rgba, rim: Rgba) {
        if r <= 0.0 {
            return;
        }
        let (inner, outer) = (color.linear(), rim.linear());
        let centre = self.vertex(c, inner);
        let first = self.positions.len() as u32;
        for k in 0..segments {
            let a = k as f32 / segments as f32 * std::f32::consts::TAU;
            self.vertex(c + Vec2::new(a.cos(), a.sin()) * r, outer);
        }
        for k in 0..segments {
            let next = (k + 1) % segments;
            self.indices.extend_from_slice(&[centre, first + k, first + next]);
        }
    }

    /// An ellipse's upper half, for mounds on the ground.
    pub fn mound(&mut self, c: Vec2, half_width: f32, height: f32, color: Rgba) {
        if half_width <= 0.0 || height <= 0.0 {
            return;
        }
        let col = color.linear();
        let centre = self.vertex(c, col);
        let first = self.positions.len() as u32;
        let segments = 10;
        for k in 0..=segments {
            let a = k as f32 / segments as f32 * std::f32::consts::PI;
            self.vertex(c + Vec2::new(-a.cos() * half_width, -a.sin() * height), col);
        }
        for k in 0..segments {
            self.indices.extend_from_slice(&[centre, first + k, first + k + 1]);
        }
    }

    /// A ring (outline of a circle), `width` pixels thick.
    pub fn ring(&mut self, c: Vec2, r: f32, width: f32, color: Rgba) {
        let segments = 24;
        let col = color.linear();
        let first = self.positions.len() as u32;
        for k in 0..segments {
            let a = k as f32 / segments as f32 * std::f32::consts::TAU;
            let dir = Vec2::new(a.cos(), a.sin());
            self.vertex(c + dir * (r + width * 0.5), col);
            self.vertex(c + dir * (r - width * 0.5).max(0.0), col);
        }
        for k in 0..segments {
            let (o0, i0) = (first + 2 * k, first + 2 * k + 1);
            let next = (k + 1) % segments;
            let (o1, i1) = (first + 2 * next, first + 2 * next + 1);
            self.indices.extend_from_slice(&[o0, o1, i1, o0, i1, i0]);
        }
    }

    /// Index where the next shape's triangles start; pass it to [`Canvas::clip_since`].
    pub fn mark(&self) -> usize {
        self.indices.len()
    }

    /// Cuts every triangle added since `mark` to the screen rectangle `min`..`max`, so shapes that
    /// reach past the forest's edge (crowns, roots, a zoomed-in forest) stop there instead of
    /// drawing under the panels. Cut edges take the colour interpolated along the edge, as the GPU
    /// would have shaded it; triangles wholly outside are dropped.
    pub fn clip_since(&mut self, mark: usize, min: Vec2, max: Vec2) {
        // In world coordinates, like the stored vertices (y up).
        let (lo, hi) =
            (Vec2::new(min.x - self.half.x, self.half.y - max.y), Vec2::new(max.x - self.half.x, self.half.y - min.y));
        let outcode = |p: [f32; 3]| -> u8 {
            (p[0] < lo.x) as u8 | ((p[0] > hi.x) as u8) << 1 | ((p[1] < lo.y) as u8) << 2 | ((p[1] > hi.y) as u8) << 3
        };
        // Triangles are rebuilt in their original order: within a layer, later shapes cover
        // earlier ones, so a cut triangle must stay where it was among the others.
        let mut out = std::mem::take(&mut self.clipped);
        out.clear();
        let mut polygon: Vec<([f32; 2], [f32; 4])> = Vec::with_capacity(9);
        let mut next: Vec<([f32; 2], [f32; 4])> = Vec::with_capacity(9);
        for t in (mark..self.indices.len()).step_by(3) {
            let tri = [self.indices[t], self.indices[t + 1], self.indices[t + 2]];
            let codes = tri.map(|i| outcode(self.positions[i as usize]));
            if codes[0] | codes[1] | codes[2] == 0 {
                out.extend_from_slice(&tri);
                continue;
            }
            if codes[0] & codes[1] & codes[2] != 0 {
                continue; // wholly beyond one edge
            }
            polygon.clear();
            polygon.extend(tri.map(|i| {
                let p = self.positions[i as usize];
                ([p[0], p[1]], self.colors[i as usize])
            }));
            // Sutherland–Hodgman: keep the part of the polygon inside each edge of the rectangle in turn.
            for (axis, bound, keep_below) in [(0, lo.x, false), (0, hi.x, true), (1, lo.y, false), (1, hi.y, true)] {
                let inside = |p: &[f32; 2]| if keep_below { p[axis] <= bound } else { p[axis] >= bound };
                next.clear();
                for k in 0..polygon.len() {
                    let (a, b) = (polygon[k], polygon[(k + 1) % polygon.len()]);
                    if inside(&a.0) {
                        next.push(a);
                    }
                    if inside(&a.0) != inside(&b.0) {
                        let f = (bound - a.0[axis]) / (b.0[axis] - a.0[axis]);
                        let mix = |x: f32, y: f32| x + (y - x) * f;
                        let at = [mix(a.0[0], b.0[0]), mix(a.0[1], b.0[1])];
                        next.push((at, std::array::from_fn(|c| mix(a.1[c], b.1[c]))));
                    }
                }
                std::mem::swap(&mut polygon, &mut next);
                if polygon.len() < 3 {
                    break;
                }
            }
            if polygon.len() < 3 {
                continue;
            }
            let first = self.positions.len() as u32;
            for (p, colour) in &polygon {
                self.positions.push([p[0], p[1], 0.0]);
                self.colors.push(*colour);
            }
            for k in 1..polygon.len() as u32 - 1 {
                out.extend_from_slice(&[first, first + k, first + k + 1]);
            }
        }
        self.indices.truncate(mark);
        self.indices.extend_from_slice(&out);
        self.clipped = out;
    }

    /// Outline of a rectangle.
    pub fn frame(&mut self, min: Vec2, max: Vec2, width: f32, color: Rgba) {
        let (a, b, c, d) = (min, Vec2::new(max.x, min.y), max, Vec2::new(min.x, max.y));
        self.line(a, b, width, color);
        self.line(b, c, width, color);
        self.line(c, d, width, color);
        self.line(d, a, width, color);
    }
}

/// A point on the quadratic Bézier curve from `a` to `b` bending through `control`.
pub fn bezier(a: Vec2, control: Vec2, b: Vec2, t: f32) -> Vec2 {
    let u = 1.0 - t;
    a * (u * u) + control * (2.0 * u * t) + b * (t * t)
}

/// A stable pseudo-random number in 0..1 from two integers: for visual jitter that replays identically.
pub fn hash01(a: u64, b: u64) -> f32 {
    let mut z = a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_add(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z ^= z >> 32;
    (z >> 40) as f32 / (1u64 << 24) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen_points(canvas: &Canvas) -> Vec<Vec2> {
        canvas
            .indices
            .iter()
            .map(|&i| {
                let p = canvas.positions[i as usize];
                Vec2::new(p[0] + canvas.half.x, canvas.half.y - p[1])
            })
            .collect()
    }

    fn area(points: &[Vec2]) -> f32 {
        points.chunks(3).map(|t| ((t[1] - t[0]).perp_dot(t[2] - t[0])).abs() * 0.5).sum()
    }

    #[test]
    fn clipping_keeps_inside_shapes_drops_outside_ones_and_cuts_crossing_ones() {
        let mut canvas = Canvas::default();
        canvas.begin(Vec2::new(200.0, 100.0), &NORMAL);
        let white = Rgba::rgb(1.0, 1.0, 1.0);
        canvas.rect(Vec2::new(20.0, 20.0), Vec2::new(40.0, 40.0), white); // inside
        canvas.rect(Vec2::new(150.0, 20.0), Vec2::new(190.0, 40.0), white); // outside, right
        let mark = canvas.mark();
        canvas.rect(Vec2::new(80.0, 10.0), Vec2::new(120.0, 30.0), white); // crosses x = 100
        canvas.clip_since(mark, Vec2::new(10.0, 0.0), Vec2::new(100.0, 100.0));
        let points = screen_points(&canvas);
        // Shapes before the mark are untouched, even the one outside.
        assert!((area(&points[..12]) - 400.0 - 800.0).abs() < 1e-3);
        // Only the left half of the crossing rectangle is left, and nothing reaches past x = 100.
        assert!((area(&points[12..]) - 400.0).abs() < 1e-3, "{}", area(&points[12..]));
        assert!(points[12..].iter().all(|p| p.x <= 100.0 + 1e-4));

        let mut canvas = Canvas::default();
        canvas.begin(Vec2::new(200.0, 100.0), &NORMAL);
        canvas.disc(Vec2::new(100.0, 50.0), 30.0, 32, white, white);
        let whole = area(&screen_points(&canvas));
        canvas.rect(Vec2::new(150.0, 20.0), Vec2::new(190.0, 40.0), white);
        canvas.clip_since(0, Vec2::new(0.0, 0.0), Vec2::new(100.0, 100.0));
        let points = screen_points(&canvas);
        assert!((area(&points) - whole * 0.5).abs() < 1e-2, "half the disc is left, the outside rectangle is gone");
    }

    #[test]
    fn a_cut_shape_stays_in_its_place_among_the_others() {
        let mut canvas = Canvas::default();
        canvas.begin(Vec2::new(200.0, 100.0), &NORMAL);
        let (red, blue) = (Rgba::rgb(1.0, 0.0, 0.0), Rgba::rgb(0.0, 0.0, 1.0));
        canvas.rect(Vec2::new(-20.0, 10.0), Vec2::new(40.0, 40.0), red); // crosses the left edge, drawn first
        canvas.rect(Vec2::new(10.0, 10.0), Vec2::new(30.0, 40.0), blue); // inside, drawn over it
        canvas.clip_since(0, Vec2::new(0.0, 0.0), Vec2::new(200.0, 100.0));
        let colour_of_triangle = |t: usize| canvas.colors[canvas.indices[3 * t] as usize];
        let triangles = canvas.indices.len() / 3;
        assert_eq!(colour_of_triangle(triangles - 1), blue.linear(), "the inside shape is still drawn last");
        assert_eq!(colour_of_triangle(0), red.linear(), "the cut shape is still drawn first");
    }

    #[test]
    fn a_cut_edge_takes_the_colour_between_its_ends() {
        let mut canvas = Canvas::default();
        canvas.begin(Vec2::new(100.0, 100.0), &NORMAL);
        canvas.rect_gradient(
            Vec2::new(0.0, 0.0),
            Vec2::new(10.0, 100.0),
            Rgba::rgb(0.0, 0.0, 0.0),
            Rgba::rgb(1.0, 1.0, 1.0),
        );
        canvas.clip_since(0, Vec2::new(0.0, 0.0), Vec2::new(100.0, 50.0));
        let bottom = Rgba::rgb(1.0, 1.0, 1.0).linear()[0];
        for &i in &canvas.indices {
            let (p, c) = (canvas.positions[i as usize], canvas.colors[i as usize]);
            if 50.0 - p[1] > 49.9 {
                // Halfway down, the colour is halfway between the top's and the bottom's (linear).
                assert!((c[0] - bottom * 0.5).abs() < 1e-4, "{c:?}");
            }
        }
    }
}
