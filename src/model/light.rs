//! The light: the opportunity landscape over the forest, which drifts and changes with time.
//!
//! It is the reality the organization must keep aligning with. Only `+ - * /` are used so
//! the landscape is bit-identical on every machine (no `exp` from the platform's libm).

use serde::{Deserialize, Serialize};

use super::rng::ModelRng;

/// How the light behaves; part of a scene.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LightConfig {
    /// Light everywhere, even between the patches.
    pub ambient: f64,
    /// Number of bright patches (opportunities).
    pub patches: u32,
    /// Width of a patch as a share of the forest's width.
    pub width: f64,
    /// Brightness a patch starts with, above the ambient.
    pub peak: f64,
    /// Fastest a patch drifts, in forest widths per tick.
    pub drift: f64,
    /// How fast patches brighten and fade (random walk of brightness per tick).
    pub change: f64,
    /// Chance per tick that a patch vanishes and reappears elsewhere.
    pub jump: f64,
    /// Where the patches start (0 to 1); spread evenly with a random jitter when left out.
    pub centers: Vec<f64>,
}

impl Default for LightConfig {
    fn default() -> Self {
        Self {
            ambient: 0.4,
            patches: 3,
            width: 0.1,
            peak: 2.0,
            drift: 0.0005,
            change: 0.01,
            jump: 0.001,
            centers: Vec::new(),
        }
    }
}

impl LightConfig {
    pub fn ranges(&self) -> Vec<(&'static str, f64, f64, f64)> {
        // The first center outside 0 to 1, NaN included (a fold with `min` or `max` would pass
        // over a NaN), or any one within it.
        let center = self.centers.iter().copied().find(|c| !(0.0..=1.0).contains(c)).unwrap_or(0.5);
        vec![
            ("centers", center, 0.0, 1.0),
            ("ambient", self.ambient, 0.0, 100.0),
            ("patches", self.patches as f64, 0.0, 64.0),
            ("width", self.width, 0.001, 1.0),
            ("peak", self.peak, 0.0, 100.0),
            ("drift", self.drift, 0.0, 0.1),
            ("change", self.change, 0.0, 1.0),
            ("jump", self.jump, 0.0, 1.0),
        ]
    }
}

/// One bright patch.
#[derive(Debug, Clone, PartialEq)]
pub struct Patch {
    pub center: f64,
    pub velocity: f64,
    pub brightness: f64,
}

/// The live landscape.
#[derive(Debug, Clone)]
pub struct Light {
    pub config: LightConfig,
    pub patches: Vec<Patch>,
}

/// A smooth bump of height 1 at 0, about half height at |z| = 0.64; rational, so portable.
fn bump(z: f64) -> f64 {
    let q = 1.0 + z * z;
    1.0 / (q * q)
}

/// How far `to` lies from `from` on the forest's width, signed (positive to the right), the short
/// way round: the width wraps, as the light does, for everything that looks across it.
#[inline(always)]
pub(crate) fn short_way(from: f64, to: f64) -> f64 {
    let apart = to - from;
    apart - apart.round()
}

/// Distance on the forest's width, which wraps around so patches drift without edges.
fn wrapped_distance(a: f64, b: f64) -> f64 {
    let mut d = (a - b).abs();
    if d >= 1.0 {
        d -= d.floor();
    }
    d.min(1.0 - d)
}

impl Light {
    pub fn new(config: LightConfig, rng: &mut ModelRng) -> Self {
        let n = config.patches as usize;
        let patches = (0..n)
            .map(|k| Patch {
                // Evenly spread, jittered, so scenes with one patch still vary by seed.
                center: match config.centers.get(k) {
                    Some(&c) => c,
                    None => ((k as f64 + 0.5) / n as f64 + (rng.unit() - 0.5) / n as f64).rem_euclid(1.0),
                },
                velocity: config.drift * (2.0 * rng.unit() - 1.0),
                brightness: config.peak,
            })
            .collect();
        Self { config, patches }
    }

    /// Light at position `x` (0..1 across the forest).
    pub fn at(&self, x: f64) -> f64 {
        let inverse_width = 1.0 / self.config.width;
        self.config.ambient
            + self
                .patches
                .iter()
                .map(|p| p.brightness * bump(wrapped_distance(x, p.center) * inverse_width))
                .sum::<f64>()
    }

    /// `out[i] = self.at(positions[i])` for every `i`, bit for bit, computed patch by patch
    /// across all positions so that the compiler can handle several trees per instruction.
    pub fn fill(&self, positions: &[f64], out: &mut [f64]) {
        let n = positions.len().min(out.len());
        let (positions, out) = (&positions[..n], &mut out[..n]);
        let inverse_width = 1.0 / self.config.width;
        // The same additions in the same order as `at`: the patches' sum from -0.0 (where
        // `Iterator::sum` starts), then that sum plus the ambient light (addition commutes exactly).
        out.fill(-0.0);
        for p in &self.patches {
            let (center, brightness) = (p.center, p.brightness);
            for i in 0..n {
                out[i] += brightness * bump(wrapped_distance(positions[i], center) * inverse_width);
            }
        }
        let ambient = self.config.ambient;
        for v in out.iter_mut() {
            *v += ambient;
        }
    }

    /// Advances the landscape one tick: drift, brightening and fading, rare jumps.
    pub fn advance(&mut self, rng: &mut ModelRng) {
        let c = &self.config;
        for p in &mut self.patches {
            if c.drift > 0.0 {
                p.velocity += c.drift * 0.05 * (2.0 * rng.unit() - 1.0);
                p.velocity = p.velocity.clamp(-c.drift, c.drift);
                p.center = (p.center + p.velocity).rem_euclid(1.0);
            }
            if c.change > 0.0 {
                // Mean-reverting walk around the configured peak keeps the total light bounded.
                let pull = 0.01 * (c.peak - p.brightness);
                p.brightness = (p.brightness + pull + c.change * c.peak * (2.0 * rng.unit() - 1.0)).max(0.0);
            }
            if c.jump > 0.0 && rng.unit() < c.jump {
                p.center = rng.unit();
                p.velocity = c.drift * (2.0 * rng.unit() - 1.0);
            }
        }
    }

    /// A light-shift shock: every patch moves by up to `strength` of the forest's width.
    pub fn shift(&mut self, strength: f64, rng: &mut ModelRng) {
        for p in &mut self.patches {
            p.center = (p.center + strength * (2.0 * rng.unit() - 1.0)).rem_euclid(1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn light_is_brightest_at_a_patch_and_ambient_far_away() {
        let mut rng = ModelRng::seeded(1);
        let light = Light::new(LightConfig { patches: 1, drift: 0.0, ..Default::default() }, &mut rng);
        let c = light.patches[0].center;
        let at_center = light.at(c);
        let far = light.at((c + 0.5).rem_euclid(1.0));
        assert!((at_center - (0.4 + 2.0)).abs() < 1e-12);
        assert!((0.4..0.45).contains(&far));
    }

    #[test]
    fn filling_many_positions_gives_the_same_bits_as_asking_one_by_one() {
        let mut rng = ModelRng::seeded(5);
        let light = Light::new(LightConfig { patches: 5, ..Default::default() }, &mut rng);
        // Inside, at and beyond the edges (a tree leaning out of the forest wraps around).
        let positions: Vec<f64> = (0..2_000).map(|k| -1.5 + 4.0 * rng.unit() + k as f64 * 1e-9).collect();
        let mut filled = vec![f64::NAN; positions.len()];
        light.fill(&positions, &mut filled);
        for (x, v) in positions.iter().zip(&filled) {
            assert_eq!(v.to_bits(), light.at(*x).to_bits(), "at {x}");
        }
    }

    #[test]
    fn stable_light_does_not_move() {
        let mut rng = ModelRng::seeded(3);
        let cfg = LightConfig { drift: 0.0, change: 0.0, jump: 0.0, ..Default::default() };
        let mut light = Light::new(cfg, &mut rng);
        let before = light.patches.clone();
        for _ in 0..1000 {
            light.advance(&mut rng);
        }
        assert_eq!(before, light.patches);
    }
}
