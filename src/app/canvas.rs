//! A vertex-coloured triangle list built fresh each frame; the forest is two of them (solid, then translucent).
//!
//! Shapes are given in screen coordinates (top-left origin, y down) and stored in the 2D camera's
//! world coordinates (centre origin, y up, one unit per logical pixel). Later shapes cover earlier ones.

use bevy::math::Vec2;

use super::palette::Rgba;

#[derive(Default)]
pub struct Canvas {
    pub positions: Vec<[f32; 3]>,
    pub colors: Vec<[f32; 4]>,
    pub indices: Vec<u32>,
    half: Vec2,
}

impl Canvas {
    /// Starts a frame for a window of `size` logical pixels.
    pub fn begin(&mut self, size: Vec2) {
        self.positions.clear();
        self.colors.clear();
        self.indices.clear();
        self.half = size * 0.5;
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
