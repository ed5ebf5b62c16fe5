//! `--screenshot OUT.png --after-ticks N`: run until model tick N, save the window as PNG, exit.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};

use super::layout::ViewState;
use super::sim::Sim;

/// Frames to let the view settle after the model pauses, so the picture shows tick N.
const SETTLE_FRAMES: u32 = 4;

pub struct ScreenshotPlugin {
    pub path: PathBuf,
    pub after_ticks: u64,
}

#[derive(Resource)]
struct Plan {
    path: PathBuf,
    after_ticks: u64,
    settled: u32,
    requested: bool,
}

impl Plugin for ScreenshotPlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(Plan {
            path: self.path.clone(),
            after_ticks: self.after_ticks,
            settled: 0,
            requested: false,
        })
        .add_systems(Update, take_when_ready);
    }
}

fn take_when_ready(
    mut commands: Commands,
    sim: Option<Res<Sim>>,
    view: Option<Res<ViewState>>,
    windows: Query<&Window, With<bevy::window::PrimaryWindow>>,
    mut plan: ResMut<Plan>,
) {
    let reached = sim.is_none_or(|s| s.forest.tick >= plan.after_ticks);
    if plan.requested || !reached {
        return;
    }
    plan.settled += 1;
    if plan.settled < SETTLE_FRAMES {
        return;
    }
    plan.requested = true;
    // How much of the window the forest has (CI checks it at projector sizes).
    if let (Some(view), Ok(window)) = (view, windows.single()) {
        let share = view.rect.width() * view.rect.height() / (window.width() * window.height()).max(1.0);
        println!("forest share of the window: {share:.3}");
    }
    let path = plan.path.clone();
    commands.spawn(Screenshot::primary_window()).observe(
        move |captured: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
            let saved = captured
                .image
                .clone()
                .try_into_dynamic()
                .map_err(|e| e.to_string())
                .and_then(|img| img.to_rgb8().save(&path).map_err(|e| e.to_string()));
            match saved {
                Ok(()) => {
                    println!("saved {}", path.display());
                    exit.write(AppExit::Success);
                }
                Err(e) => {
                    eprintln!("error: {}: cannot save the screenshot: {e}", path.display());
                    exit.write(AppExit::from_code(1));
                }
            }
        },
    );
}
