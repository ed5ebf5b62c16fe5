//! The desktop app: Bevy plugins over the model — simulation, forest view, input, UI, screenshots.
//!
//! `SimPlugin` works without rendering (tests drive it with `MinimalPlugins`); everything else
//! draws or listens to a window.

mod canvas;
mod frames;
mod input;
mod inspector;
pub mod layout;
mod palette;
mod plots;
pub mod present;
mod screenshot;
pub mod sim;
mod ui;
mod view;

use std::path::PathBuf;
use std::time::Instant;

use bevy::prelude::*;
use bevy::window::{PresentMode, WindowResolution};
use bevy_egui::EguiPlugin;

use crate::scene::LoadedScene;

pub use sim::{Control, Intervene, Sim, SimPlugin};

/// How to open the app.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// Scene file; the built-in default when `None`.
    pub scene: Option<PathBuf>,
    pub timeline: Option<String>,
    pub seed: Option<u64>,
    /// Save a screenshot here once the model reaches `after_ticks`, then exit.
    pub screenshot: Option<PathBuf>,
    pub after_ticks: u64,
    /// Window size in logical pixels.
    pub size: (u32, u32),
    /// Measure this many frames after a warm-up, print frame times and exit (benchmarks).
    pub measure_frames: Option<u32>,
    /// Show an empty window with egui instead of the forest (the benchmark's baseline).
    pub empty: bool,
    /// Select this team and show it in the inspector from the start.
    pub inspect: Option<String>,
    /// When the process started, for the startup time.
    pub started: Option<Instant>,
}

/// Opens the window and runs until it is closed. Returns the error text if the scene cannot be opened.
pub fn run(options: AppOptions) -> Result<(), String> {
    let started = options.started.unwrap_or_else(Instant::now);
    let (loaded, path) = match &options.scene {
        Some(path) => (LoadedScene::from_path(path).map_err(|e| e.to_string())?, Some(path.clone())),
        None => (LoadedScene::builtin_default(), None),
    };
    let mut sim = Sim::new(loaded, path, options.timeline.clone(), options.seed)?;
    if options.screenshot.is_some() {
        sim.speed = sim::SPEEDS[sim::SPEEDS.len() - 1];
        sim.pause_at = Some(options.after_ticks);
    }
    let mut view = layout::ViewState::default();
    if let Some(name) = &options.inspect {
        let tree =
            sim.loaded.index.get(name).copied().ok_or_else(|| {
                format!("--inspect {name}: the scene \"{}\" has no team of that name", sim.scene_name())
            })?;
        view.focus = Some(tree);
        view.selected = vec![tree];
    }
    let (w, h) = if options.size.0 > 0 { options.size } else { (1440, 900) };
    let title = format!("Understory — {}", sim.scene_name());
    let measuring = options.measure_frames.is_some();
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title,
                    resolution: WindowResolution::new(w, h),
                    present_mode: if measuring { PresentMode::AutoNoVsync } else { PresentMode::AutoVsync },
                    ..default()
                }),
                ..default()
            })
            .set(bevy::log::LogPlugin { filter: "warn,understory=info".into(), ..default() }),
    )
    .add_plugins(EguiPlugin::default());
    if options.empty {
        app.add_plugins(frames::empty_window);
    } else {
        app.add_plugins(SimPlugin::new(sim))
            .add_plugins((view::plugin, input::plugin, ui::plugin, present::plugin))
            .insert_resource(view)
            // Screenshots for docs and tests look the same on every machine: no remembered settings.
            .insert_resource(present::Presentation::load(if options.screenshot.is_some() {
                None
            } else {
                present::settings_file()
            }));
    }
    if let Some(path) = options.screenshot {
        app.add_plugins(screenshot::ScreenshotPlugin { path, after_ticks: options.after_ticks });
    }
    app.add_plugins(frames::FramesPlugin { measure: options.measure_frames, started });
    match app.run() {
        AppExit::Success => Ok(()),
        AppExit::Error(code) => Err(format!("the app stopped with error code {code}")),
    }
}
