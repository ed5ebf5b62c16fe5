//! Soak runs for the long-workshop benchmark: the app plays its scene at top speed in a real
//! window, for a number of ticks or a number of passes through the story, printing the
//! process's memory as it goes.

use std::time::Instant;

use bevy::prelude::*;

use super::sim::{Control, SPEEDS, Sim};

/// How long a soak run lasts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SoakLength {
    /// Until the model reaches this tick.
    Ticks(u64),
    /// Through the scene's timeline (to its last chapter's caption) this many times, starting
    /// again from tick 0 after each pass.
    Passes(u32),
}

/// Ticks between two memory samples.
pub const SAMPLE_TICKS: u64 = 500;

pub struct SoakPlugin {
    pub length: SoakLength,
}

#[derive(Resource)]
struct Soak {
    length: SoakLength,
    started: Instant,
    /// Passes through the timeline completed.
    passes: u32,
    /// Ticks played in passes already completed.
    ticks_before: u64,
    next_sample: u64,
}

impl Plugin for SoakPlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(Soak {
            length: self.length,
            started: Instant::now(),
            passes: 0,
            ticks_before: 0,
            next_sample: 0,
        })
        .add_systems(Last, sample_memory);
    }
}

/// The process's resident memory in bytes, where the platform says.
pub fn resident_bytes() -> Option<u64> {
    memory_stats::memory_stats().map(|m| m.physical_mem as u64)
}

/// Prints `SOAK pass=P tick=T played=N seconds=S rss_bytes=B` every `SAMPLE_TICKS` ticks played
/// (the binary's benchmark reads these lines), starts the story again at the end of a pass, and
/// exits when the run is over.
fn sample_memory(
    sim: Res<Sim>,
    mut soak: ResMut<Soak>,
    mut controls: MessageWriter<Control>,
    mut exit: MessageWriter<AppExit>,
) {
    if soak.passes == 0 && soak.next_sample == 0 {
        controls.write(Control::Speed(SPEEDS[SPEEDS.len() - 1]));
        controls.write(Control::Play(true));
    }
    let tick = sim.forest.tick;
    let played = soak.ticks_before + tick;
    let (pass_end, done) = match soak.length {
        SoakLength::Ticks(n) => (u64::MAX, played >= n),
        SoakLength::Passes(n) => {
            let end = sim.timeline.end() + crate::scene::CHAPTER_CAPTION_TICKS;
            (end, soak.passes + 1 >= n && tick >= end)
        }
    };
    if played >= soak.next_sample || done {
        let rss = resident_bytes().unwrap_or(0);
        println!(
            "SOAK pass={} tick={tick} played={played} seconds={:.1} rss_bytes={rss}",
            soak.passes + 1,
            soak.started.elapsed().as_secs_f64()
        );
        soak.next_sample = played - played % SAMPLE_TICKS + SAMPLE_TICKS;
    }
    if done {
        exit.write(AppExit::Success);
    } else if tick >= pass_end {
        soak.passes += 1;
        soak.ticks_before += tick;
        controls.write(Control::Reset);
        controls.write(Control::Play(true));
    }
}
