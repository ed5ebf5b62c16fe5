//! The living-forest model: plain data and a deterministic `step()`, with no rendering.
//!
//! Nothing here imports Bevy; the headless runner, the tests, the benchmarks and the app all
//! drive this same model.

// Per-tree and per-link arrays are indexed together by tree or link number, on purpose.
#![allow(clippy::needless_range_loop)]

mod cpu;
mod describe;
mod forest;
pub mod intervention;
pub mod light;
pub mod metrics;
mod observe;
pub mod params;
pub mod rng;
mod step;

pub use cpu::CpuPath;
pub use describe::describe;
pub use forest::{
    BuildError, CAUSES_KEPT, Cause, CauseRoute, Forest, LinkInit, Links, NONE, TeamInit, Trees, find_cycle,
};
pub use intervention::{Intervention, InterventionKind, Selection, Style};
pub use light::{Light, LightConfig};
pub use metrics::{COLUMNS, Ledger, Metrics};
pub use observe::{OrderInFlight, PastTick};
pub use params::{MAX_DELAY, Params};
pub use step::shortened;
