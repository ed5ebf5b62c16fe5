//! Understory: an organization shown as a living forest.
//!
//! `model` is the simulation (no rendering); `scene` reads and checks scene files;
//! `run` drives a scene headless; `app` is the desktop app (Bevy plugins over the model).

pub mod app;
pub mod bench;
pub mod model;
pub mod run;
pub mod scene;
