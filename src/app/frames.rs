//! Frame timing for the view benchmark: startup to first frame, then frame times over a window
//! of frames after a warm-up; plus the empty Bevy+egui window it is compared against.

use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// Frames skipped before measuring (shader compilation, first uploads).
const WARM_UP: u32 = 60;

pub struct FramesPlugin {
    pub measure: Option<u32>,
    pub started: Instant,
}

#[derive(Resource)]
struct Timing {
    measure: Option<u32>,
    started: Instant,
    first_frame: Option<Duration>,
    frames: u32,
    last: Option<Instant>,
    samples: Vec<f64>,
}

impl Plugin for FramesPlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(Timing {
            measure: self.measure,
            started: self.started,
            first_frame: None,
            frames: 0,
            last: None,
            samples: Vec::new(),
        })
        .add_systems(Last, time_frames);
    }
}

fn time_frames(mut timing: ResMut<Timing>, mut exit: MessageWriter<AppExit>) {
    let now = Instant::now();
    if timing.first_frame.is_none() {
        timing.first_frame = Some(now - timing.started);
    }
    let Some(wanted) = timing.measure else { return };
    timing.frames += 1;
    if timing.frames > WARM_UP
        && let Some(last) = timing.last
    {
        timing.samples.push((now - last).as_secs_f64() * 1000.0);
    }
    timing.last = Some(now);
    if timing.samples.len() as u32 >= wanted {
        let mut sorted = timing.samples.clone();
        sorted.sort_by(f64::total_cmp);
        let mean = sorted.iter().sum::<f64>() / sorted.len() as f64;
        let median = sorted[sorted.len() / 2];
        let p95 = sorted[(sorted.len() * 95 / 100).min(sorted.len() - 1)];
        let startup = timing.first_frame.unwrap_or_default().as_secs_f64() * 1000.0;
        println!("FRAMES mean_ms={mean:.3} median_ms={median:.3} p95_ms={p95:.3} startup_ms={startup:.0}");
        exit.write(AppExit::Success);
    }
}

/// The baseline: a camera and a small egui window, nothing else. By default the camera has the
/// view's render settings (no MSAA, no debanding), so the comparison measures what the view
/// draws. Bevy's default camera resolves 4x MSAA every frame, which on a software renderer costs
/// more than most scenes; comparing only against that would flatter the view.
pub struct EmptyWindow {
    pub bevy_defaults: bool,
}

impl Plugin for EmptyWindow {
    fn build(&self, app: &mut App) {
        let bevy_defaults = self.bevy_defaults;
        app.add_systems(Startup, move |mut commands: Commands| {
            if bevy_defaults {
                commands.spawn(Camera2d);
            } else {
                commands.spawn(super::view::camera());
            }
        })
        .add_systems(EguiPrimaryContextPass, |mut contexts: EguiContexts| -> Result {
            egui::Window::new("empty").show(contexts.ctx_mut()?, |ui| ui.label("baseline"));
            Ok(())
        });
    }
}
