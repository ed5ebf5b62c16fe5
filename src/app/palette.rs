//! One palette for the whole app: dusk sky, living greens, warm resources, cool signals, steel commands.
//!
//! Colours are sRGB; the forest mesh converts them to linear, egui takes them as they are.

use bevy::color::{Color, LinearRgba};
use bevy::prelude::Resource;
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

impl From<Rgba> for Color {
    fn from(c: Rgba) -> Self {
        Color::srgba(c.0, c.1, c.2, c.3)
    }
}

/// Every colour the app uses, and how thick lines are drawn.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub sky_top: Rgba,
    pub light: Rgba,
    pub soil_top: Rgba,
    pub soil_deep: Rgba,
    pub ground_line: Rgba,
    pub trunk: Rgba,
    pub dead: Rgba,
    pub calm: Rgba,
    pub strained: Rgba,
    pub breaking: Rgba,
    pub leaf: Rgba,
    pub litter: Rgba,
    pub nutrient: Rgba,
    pub root: Rgba,
    pub resource: Rgba,
    pub signal: Rgba,
    pub command: Rgba,
    pub order: Rgba,
    pub selected: Rgba,
    pub text: Rgba,
    /// Multiplies line widths.
    pub line: f32,
    /// Family colours: command, condition, shock.
    pub command_style: Rgba,
    pub condition_style: Rgba,
    pub shock_style: Rgba,
    /// The plots' line colours, in the order of the metrics they offer; the first five (the ones
    /// shown by default) differ from each other in every palette.
    pub plot: [Rgba; 11],
    /// What the colours are called, for the legend and the help (they differ by palette).
    pub names: Names,
}

/// Words for a palette's colours.
#[derive(Debug, Clone, Copy)]
pub struct Names {
    pub calm: &'static str,
    pub strained: &'static str,
    pub breaking: &'static str,
    pub leaf: &'static str,
    pub resource: &'static str,
    pub signal: &'static str,
    pub order: &'static str,
    pub command_style: &'static str,
    pub condition_style: &'static str,
}

/// The everyday palette's colours that more than one of its roles share (a plot line takes the
/// colour of what it measures).
mod dusk {
    use super::Rgba;
    pub const GREEN: Rgba = Rgba::rgb(0.30, 0.70, 0.36);
    pub const YELLOW: Rgba = Rgba::rgb(0.86, 0.74, 0.26);
    pub const RED: Rgba = Rgba::rgb(0.84, 0.33, 0.20);
    pub const BROWN: Rgba = Rgba::rgb(0.47, 0.33, 0.20);
    pub const PALE_GREEN: Rgba = Rgba::rgb(0.62, 0.95, 0.55);
    pub const ROOT: Rgba = Rgba::rgb(0.86, 0.80, 0.66);
    pub const AMBER: Rgba = Rgba::rgb(1.0, 0.72, 0.28);
    pub const CYAN: Rgba = Rgba::rgb(0.45, 0.88, 1.0);
    pub const STEEL: Rgba = Rgba::rgb(0.66, 0.72, 0.84);
    pub const ROSE: Rgba = Rgba::rgb(0.95, 0.38, 0.42);
    pub const VIOLET: Rgba = Rgba::rgb(0.75, 0.6, 1.0);
}

/// The Okabe–Ito colours and the greys the projector palette uses, each named once.
mod okabe_ito {
    use super::Rgba;
    pub const BLUE: Rgba = Rgba::rgb(0.0, 0.45, 0.70);
    pub const ORANGE: Rgba = Rgba::rgb(0.90, 0.62, 0.0);
    pub const VERMILLION: Rgba = Rgba::rgb(0.84, 0.37, 0.0);
    pub const BLUISH_GREEN: Rgba = Rgba::rgb(0.0, 0.62, 0.45);
    pub const YELLOW: Rgba = Rgba::rgb(0.94, 0.89, 0.26);
    pub const SKY_BLUE: Rgba = Rgba::rgb(0.34, 0.71, 0.91);
    pub const REDDISH_PURPLE: Rgba = Rgba::rgb(0.80, 0.47, 0.65);
    pub const WHITE: Rgba = Rgba::rgb(1.0, 1.0, 1.0);
    pub const GREY: Rgba = Rgba::rgb(0.6, 0.6, 0.6);
    pub const LIGHT_GREY: Rgba = Rgba::rgb(0.80, 0.80, 0.80);
    pub const BROWN: Rgba = Rgba::rgb(0.60, 0.45, 0.30);
}

/// The everyday palette: dusk sky, living greens, warm resources, cool signals, steel commands.
pub const NORMAL: Palette = Palette {
    sky_top: Rgba::rgb(0.055, 0.075, 0.13),
    light: Rgba::rgb(1.0, 0.86, 0.52),
    soil_top: Rgba::rgb(0.17, 0.12, 0.09),
    soil_deep: Rgba::rgb(0.07, 0.05, 0.045),
    ground_line: Rgba::rgb(0.33, 0.25, 0.17),
    trunk: Rgba::rgb(0.36, 0.26, 0.19),
    dead: Rgba::rgb(0.42, 0.40, 0.38),
    calm: dusk::GREEN,
    strained: dusk::YELLOW,
    breaking: dusk::RED,
    leaf: Rgba::rgb(0.85, 0.52, 0.22),
    litter: dusk::BROWN,
    nutrient: dusk::PALE_GREEN,
    root: dusk::ROOT,
    resource: dusk::AMBER,
    signal: dusk::CYAN,
    command: dusk::STEEL,
    order: dusk::ROSE,
    selected: Rgba::rgb(1.0, 1.0, 1.0),
    text: Rgba::rgb(0.92, 0.93, 0.95),
    line: 1.0,
    command_style: dusk::ROSE,
    condition_style: dusk::PALE_GREEN,
    shock_style: dusk::VIOLET,
    // Vitality in the calm green, real value amber as shared energy, reported value red, trust
    // cyan as feedback, alignment violet, then litter, nutrients, steel, red, yellow and root.
    plot: [
        dusk::GREEN,
        dusk::AMBER,
        dusk::ROSE,
        dusk::CYAN,
        dusk::VIOLET,
        dusk::BROWN,
        dusk::PALE_GREEN,
        dusk::STEEL,
        dusk::RED,
        dusk::YELLOW,
        dusk::ROOT,
    ],
    names: Names {
        calm: "green",
        strained: "yellow",
        breaking: "red",
        leaf: "orange",
        resource: "amber",
        signal: "cyan",
        order: "red",
        command_style: "red",
        condition_style: "green",
    },
};

/// For projectors: black backgrounds, high contrast, thick lines, and the Okabe–Ito colours, which
/// stay apart for the common forms of colour blindness (stress runs blue → orange → vermillion).
pub const PROJECTOR: Palette = Palette {
    sky_top: Rgba::rgb(0.0, 0.0, 0.0),
    light: Rgba::rgb(1.0, 0.95, 0.55),
    soil_top: Rgba::rgb(0.16, 0.11, 0.07),
    soil_deep: Rgba::rgb(0.0, 0.0, 0.0),
    ground_line: Rgba::rgb(0.9, 0.9, 0.9),
    trunk: Rgba::rgb(0.55, 0.40, 0.28),
    dead: okabe_ito::GREY,
    calm: okabe_ito::BLUE,
    strained: okabe_ito::ORANGE,
    breaking: okabe_ito::VERMILLION,
    // Light grey, apart from the yellow of shared energy.
    leaf: okabe_ito::LIGHT_GREY,
    litter: okabe_ito::BROWN,
    nutrient: okabe_ito::BLUISH_GREEN,
    root: Rgba::rgb(0.95, 0.95, 0.95),
    resource: okabe_ito::YELLOW,
    signal: okabe_ito::SKY_BLUE,
    command: okabe_ito::WHITE,
    order: okabe_ito::REDDISH_PURPLE,
    selected: Rgba::rgb(1.0, 1.0, 1.0),
    text: Rgba::rgb(1.0, 1.0, 1.0),
    line: 2.0,
    command_style: okabe_ito::REDDISH_PURPLE,
    condition_style: okabe_ito::BLUISH_GREEN,
    shock_style: okabe_ito::YELLOW,
    // Okabe–Ito, each colour once before any repeats: blue, yellow, reddish purple, sky blue,
    // orange, bluish green, vermillion, then white and greys and the litter's brown.
    plot: [
        okabe_ito::BLUE,
        okabe_ito::YELLOW,
        okabe_ito::REDDISH_PURPLE,
        okabe_ito::SKY_BLUE,
        okabe_ito::ORANGE,
        okabe_ito::BLUISH_GREEN,
        okabe_ito::VERMILLION,
        okabe_ito::WHITE,
        okabe_ito::GREY,
        okabe_ito::BROWN,
        okabe_ito::LIGHT_GREY,
    ],
    names: Names {
        calm: "blue",
        strained: "orange",
        breaking: "vermillion",
        leaf: "grey",
        resource: "yellow",
        signal: "sky blue",
        order: "pink",
        command_style: "pink",
        condition_style: "green",
    },
};

/// The palette in use: the projector profile switches it. Every drawing reads it from here
/// (the view through its canvases, egui code as an argument).
#[derive(Resource, Debug, Clone, Copy)]
pub struct ActivePalette(pub &'static Palette);

impl Default for ActivePalette {
    fn default() -> Self {
        Self(&NORMAL)
    }
}

impl ActivePalette {
    pub fn for_projector(on: bool) -> Self {
        Self(if on { &PROJECTOR } else { &NORMAL })
    }

    /// Hands the palette to the egui code drawn this frame, which finds it with [`of`]: egui
    /// keeps it in its context, as it keeps its own style.
    pub fn share(&self, ctx: &bevy_egui::egui::Context) {
        ctx.data_mut(|d| d.insert_temp(palette_id(), *self));
    }
}

fn palette_id() -> bevy_egui::egui::Id {
    bevy_egui::egui::Id::new("understory-palette")
}

/// The palette egui code draws in this frame (as shared by [`ActivePalette::share`]).
pub fn of(ctx: &bevy_egui::egui::Context) -> &'static Palette {
    ctx.data(|d| d.get_temp::<ActivePalette>(palette_id())).unwrap_or_default().0
}

impl Palette {
    /// Crown colour for a stress level (0 calm, 1 breaking).
    pub fn crown(&self, stress: f32) -> Rgba {
        let s = stress.clamp(0.0, 1.0);
        if s < 0.5 { self.calm.mix(self.strained, s * 2.0) } else { self.strained.mix(self.breaking, (s - 0.5) * 2.0) }
    }

    /// Colour of an intervention family, for buttons and plot marks.
    pub fn style(&self, style: Style) -> Rgba {
        match style {
            Style::Command => self.command_style,
            Style::Condition => self.condition_style,
            Style::Shock => self.shock_style,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plots_default_lines_differ_in_every_palette() {
        for pal in [&NORMAL, &PROJECTOR] {
            for (a, x) in pal.plot[..5].iter().enumerate() {
                for (b, y) in pal.plot[..5].iter().enumerate().skip(a + 1) {
                    let d = x.linear().iter().zip(y.linear()).map(|(p, q)| (p - q).powi(2)).sum::<f32>().sqrt();
                    assert!(d > 0.15, "plot colours {a} and {b} are alike ({d})");
                }
            }
        }
    }
}
