//! The living-forest model: plain data and a deterministic `step()`, with no rendering.
//!
//! Nothing here imports Bevy; the headless runner, the tests, the benchmarks and the app all
//! drive this same model. `forest.rs` is the state, `build.rs` makes it, `tick/` advances it
//! (one file per mechanism family), `cpu.rs` picks the compiled variant of a tick, and
//! `metrics/` measures it.

// Per-tree and per-link arrays are indexed together by tree or link number, on purpose.
#![allow(clippy::needless_range_loop)]

mod build;
mod cpu;
mod delays;
mod describe;
mod forest;
pub mod intervention;
pub mod light;
pub mod metrics;
mod observe;
pub mod params;
pub mod rng;
mod tick;

pub use build::{BuildError, LinkInit, MEMORY_LIMIT, MemoryNeed, TeamInit, find_cycle};
pub use cpu::CpuPath;
pub use describe::describe;
pub use forest::{CAUSES_KEPT, Cause, CauseRoute, Forest, Links, NONE, Practices, Trees};
pub use intervention::{Intervention, InterventionKind, Practice, Selection, Style};
pub use light::{Light, LightConfig};
pub use metrics::{COLUMNS, Ledger, Metrics};
pub use observe::{OrderInFlight, PastTick};
pub use params::{MAX_DELAY, MAX_HOP_DELAY, Params};
pub use tick::shortened;
