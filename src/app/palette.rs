//! One palette for the whole app: dusk sky, living greens, warm resources, cool signals, steel commands.
//!
//! Colours are sRGB; the forest mesh converts them to linear, egui takes them as they are.

use bevy::color::{Color, LinearRgba};
use bevy_egui::egui::Color32;

use crate::model::Style;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgba(pub f32, pub f32, pub f32, pub f32);

impl Rgba {
    pub const fn rgb(r: f32, g: f32, b: f32) -> Self {
        Self(r, g, b, 1.0)
    }

    pub fn alpha(self, a: f32) -> Self {
        Self(self.0, self.1, self.2, self.3 * a.clamp(0.0, 1.0))
    }

    pub fn mix(self, other: Rgba, t: f32) -> Self {
        let t = t.clamp(0.0, 1.0);
        Self(
            self.0 + (other.0 - self.0) * t,
            self.1 + (other.1 - self.1) * t,
            self.2 + (other.2 - self.2) * t,
            self.3 + (other.3 - self.3) * t,
        )
    }

    pub fn linear(self) -> [f32; 4] {
        let c: LinearRgba = Color::srgba(self.0, self.1, self.2, self.3).into();
        [c.red, c.green, c.blue, c.alpha]
    }

    pub fn egui(self) -> Color32 {
        let to = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        Color32::from_rgba_unmultiplied(to(self.0), to(self.1), to(self.2), to(self.3))
    }
}

pub const SKY_TOP: Rgba = Rgba::rgb(0.055, 0.075, 0.13);
pub const SKY_LOW: Rgba = Rgba::rgb(0.13, 0.17, 0.25);
pub const LIGHT: Rgba = Rgba::rgb(1.0, 0.86, 0.52);
pub const SOIL_TOP: Rgba = Rgba::rgb(0.17, 0.12, 0.09);
pub const SOIL_DEEP: Rgba = Rgba::rgb(0.07, 0.05, 0.045);
pub const GROUND_LINE: Rgba = Rgba::rgb(0.33, 0.25, 0.17);
pub const TRUNK: Rgba = Rgba::rgb(0.36, 0.26, 0.19);
pub const DEAD: Rgba = Rgba::rgb(0.42, 0.40, 0.38);
/// Crown colour at no stress, some stress, and breaking point.
pub const CALM: Rgba = Rgba::rgb(0.30, 0.70, 0.36);
pub const STRAINED: Rgba = Rgba::rgb(0.86, 0.74, 0.26);
pub const BREAKING: Rgba = Rgba::rgb(0.84, 0.33, 0.20);
pub const LEAF: Rgba = Rgba::rgb(0.85, 0.52, 0.22);
pub const LITTER: Rgba = Rgba::rgb(0.47, 0.33, 0.20);
pub const NUTRIENT: Rgba = Rgba::rgb(0.62, 0.95, 0.55);
pub const ROOT: Rgba = Rgba::rgb(0.86, 0.80, 0.66);
pub const RESOURCE: Rgba = Rgba::rgb(1.0, 0.72, 0.28);
pub const SIGNAL: Rgba = Rgba::rgb(0.45, 0.88, 1.0);
pub const COMMAND: Rgba = Rgba::rgb(0.66, 0.72, 0.84);
pub const ORDER: Rgba = Rgba::rgb(0.95, 0.38, 0.42);
pub const SELECTED: Rgba = Rgba::rgb(1.0, 1.0, 1.0);
pub const TEXT: Rgba = Rgba::rgb(0.92, 0.93, 0.95);

/// Crown colour for a stress level (0 calm, 1 breaking).
pub fn crown(stress: f32) -> Rgba {
    let s = stress.clamp(0.0, 1.0);
    if s < 0.5 { CALM.mix(STRAINED, s * 2.0) } else { STRAINED.mix(BREAKING, (s - 0.5) * 2.0) }
}

/// Colour of an intervention family, for buttons and plot marks.
pub fn style(style: Style) -> Rgba {
    match style {
        Style::Command => ORDER,
        Style::Condition => NUTRIENT,
        Style::Shock => Rgba::rgb(0.75, 0.6, 1.0),
    }
}
