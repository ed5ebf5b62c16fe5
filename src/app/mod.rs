//! The desktop app: Bevy plugins over the model — simulation, forest view, input, UI, screenshots.
//!
//! `SimPlugin` works without rendering (tests drive it with `MinimalPlugins`); everything else
//! draws or listens to a window.

mod canvas;
pub mod compare;
pub mod files;
mod frames;
pub mod history;
mod input;
mod inspector;
pub mod layout;
pub mod palette;
mod plots;
pub mod predict;
pub mod present;
pub mod record;
mod screenshot;
pub mod sim;
pub mod soak;
mod ui;
mod view;

use std::path::PathBuf;
use std::time::Instant;

use bevy::prelude::*;
use bevy::window::{PresentMode, WindowResolution};
use bevy_egui::EguiPlugin;

use crate::scene::LoadedScene;

pub use sim::{Control, Intervene, Road, SendTo, Sim, SimPlugin, Twin};

/// The order of the app's work within a frame, across plugins: keys and clicks ask for
/// changes; the recorder asks for its frame's time; the clock (the simulation plugin) carries
/// out every request and steps the main forest; the forests beside it follow; what reads every
/// forest at one tick (a prediction's outcome) observes; then everything draws (PostUpdate).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppSystems {
    Input,
    Record,
    Clock,
    Follow,
    Observe,
}

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
    /// The empty window keeps Bevy's default camera (4x MSAA) instead of the view's settings.
    pub empty_with_bevy_defaults: bool,
    /// Select this team and show it in the inspector from the start.
    pub inspect: Option<String>,
    /// Record a frame-exact video instead of running interactively (`understory record`).
    pub record: Option<record::RecordConfig>,
    /// Compare side by side with this timeline of the scene on the right.
    pub compare: Option<String>,
    /// Metric whose difference is plotted when comparing.
    pub metric: Option<String>,
    /// Start in the projector profile (for recordings; the app remembers the user's choice).
    pub projector: bool,
    /// With two forests, draw the other as a ghost over the main one.
    pub ghost: bool,
    /// When the process started, for the startup time.
    pub started: Option<Instant>,
    /// Play at top speed for this long, printing memory, then exit (the soak benchmark).
    pub soak: Option<soak::SoakLength>,
}

/// Opens the window and runs until it is closed. Returns the error text if the scene cannot be opened.
pub fn run(mut options: AppOptions) -> Result<(), String> {
    let started = options.started.unwrap_or_else(Instant::now);
    // An org chart or a network is imported on the fly; what was made of it is said on screen.
    let (loaded, path, summary) = match &options.scene {
        Some(path) => {
            let (loaded, summary) = crate::import::open_any(path)?;
            (loaded, Some(path.clone()), summary)
        }
        None => (LoadedScene::builtin_default(), None, None),
    };
    let mut sim = Sim::new(loaded, path, options.timeline.clone(), options.seed)?;
    if let Some(summary) = summary {
        println!("{summary}");
        sim.notice = Some(summary);
    }
    if let Some(right) = &options.compare
        && !options.empty
    {
        // Fails here, with the scene's timelines named, rather than after the window opens.
        compare::Twin::of(&sim, right, "vitality")?;
    }
    if let Some(config) = &mut options.record {
        // From the first frame the recorder, not the fixed timestep, advances the model.
        sim.drive_from_start();
        if config.frames.is_none() {
            let end = sim.timeline.end() + crate::scene::CHAPTER_CAPTION_TICKS;
            let now = sim.forest.tick;
            let held = sim.timeline.chapters().iter().filter(|c| c.pause && c.tick >= now).count() as u64;
            config.frames = Some(
                ((end as f64 - now as f64) / config.ticks_per_frame).ceil().max(1.0) as u64 + held * config.hold_frames,
            );
        }
    }
    if options.screenshot.is_some() {
        sim.run_unattended(Some(sim::SPEEDS[sim::SPEEDS.len() - 1]), Some(options.after_ticks));
    }
    if options.soak.is_some() {
        sim.run_unattended(None, None);
    }
    let mut view = layout::ViewState { ghost: options.ghost, ..Default::default() };
    if let Some(name) = &options.inspect {
        let tree =
            sim.loaded.index.get(name).copied().ok_or_else(|| {
                format!("--inspect {name}: the scene \"{}\" has no team of that name", sim.scene_name())
            })?;
        view.focus = Some(tree);
        view.selected = vec![tree];
    }
    let (w, h) = if options.size.0 > 0 { options.size } else { (1440, 900) };
    let title = match &options.record {
        // The `record` command draws into an image, so its window stays empty.
        Some(r) if r.exit_when_done => {
            format!("Understory — recording {} off-screen (progress in the terminal)", sim.scene_name())
        }
        _ => format!("Understory — {}", sim.scene_name()),
    };
    let measuring = options.measure_frames.is_some() || options.record.is_some();
    // Every input is checked first, so a mistake is reported even where no window can open.
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
        && std::env::var_os("WAYLAND_SOCKET").is_none()
    {
        return Err("no display to open a window on (DISPLAY is not set); run it in a desktop session, \
                    or under `xvfb-run -a` for screenshots and recordings"
            .into());
    }
    let failure = record::Failure::default();
    let mut app = App::new();
    let mut plugins = DefaultPlugins.build();
    if options.record.is_some() {
        // Recording renders each frame after its update, not beside the next one, so every
        // captured frame holds exactly what that update drew (fonts included).
        plugins = plugins.disable::<bevy::render::pipelined_rendering::PipelinedRenderingPlugin>();
    }
    app.add_plugins(
        plugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title,
                    resolution: WindowResolution::new(w, h),
                    present_mode: if measuring { PresentMode::AutoNoVsync } else { PresentMode::AutoVsync },
                    // A recording's frames must all be the same size.
                    resizable: options.record.is_none(),
                    ..default()
                }),
                ..default()
            })
            .set(bevy::log::LogPlugin { filter: "warn,understory=info".into(), ..default() }),
    )
    .add_plugins(EguiPlugin::default());
    if options.empty {
        app.add_plugins(frames::EmptyWindow { bevy_defaults: options.empty_with_bevy_defaults });
    } else {
        app.add_plugins(SimPlugin::new(sim))
            .add_plugins((
                view::plugin,
                input::plugin,
                ui::plugin,
                present::plugin,
                compare::plugin,
                predict::plugin,
                files::plugin,
            ))
            .insert_resource(view)
            .add_plugins(record::RecordPlugin {
                command: options.record.clone(),
                offscreen: options.record.as_ref().filter(|r| r.exit_when_done).map(|_| (w, h)),
                failure: failure.clone(),
            });
        // Screenshots and recordings look the same on every machine: no remembered settings.
        let unattended = options.screenshot.is_some() || options.record.is_some() || options.soak.is_some();
        let mut presentation = present::Presentation::load(if unattended { None } else { present::settings_file() });
        if options.projector {
            presentation.settings.projector = true;
        }
        // A recording shows what an audience sees: the forest, captions and the heads-up display.
        presentation.hidden = options.record.is_some();
        app.insert_resource(presentation);
        if !unattended {
            app.insert_resource(present::FitToMonitor { done: false, chosen: options.size.0 > 0 });
        }
        if let Some(right) = &options.compare {
            let sim = app.world().resource::<Sim>();
            let twin = compare::Twin::of(sim, right, options.metric.as_deref().unwrap_or("vitality"))?;
            app.world_mut().spawn(twin);
        }
    }
    if let Some(path) = options.screenshot {
        app.add_plugins(screenshot::ScreenshotPlugin { path, after_ticks: options.after_ticks });
    }
    app.add_plugins(frames::FramesPlugin { measure: options.measure_frames, started });
    if let Some(length) = options.soak {
        app.add_plugins(soak::SoakPlugin { length });
    }
    match app.run() {
        AppExit::Success => Ok(()),
        AppExit::Error(code) => Err(failure
            .0
            .lock()
            .ok()
            .and_then(|mut f| f.take())
            .unwrap_or_else(|| format!("the app stopped with error code {code}"))),
    }
}
