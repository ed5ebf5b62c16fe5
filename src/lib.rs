//! Understory: an organization shown as a living forest.
//!
//! `model` is the simulation (no rendering); `scene` reads and checks scene files;
//! `run` drives a scene headless; `app` is the desktop app (Bevy plugins over the model);
//! `io` writes files safely; `text` words counts in messages. The command line, its
//! benchmarks and its reports are the binary's (src/bin/understory).

pub mod app;
pub mod import;
pub mod io;
pub mod model;
pub mod run;
pub mod scene;
pub mod text;
