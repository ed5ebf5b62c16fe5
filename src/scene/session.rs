//! Saved sessions: a scene plus one timeline holding what the scene's timeline did and what the user did.
//!
//! Opening the saved file replays the session exactly: same seed, same interventions at the same
//! ticks, in the same order the live session applied them.

use crate::model::{Intervention, Selection, Style};

use super::{Entry, LoadedScene, Scene, Targets};

/// The timeline name a saved session gets.
pub const SESSION_TIMELINE: &str = "session";

/// Builds the scene to save: the scene's own timeline `base` (if any), then the user's interventions.
///
/// Within a tick the live session applies the timeline's entries first and the user's after them;
/// entries are sorted stably by tick on loading, so writing them in that order keeps it.
pub fn session_scene(
    loaded: &LoadedScene,
    base: Option<&str>,
    seed: u64,
    user: &[(u64, Intervention)],
    team_names: &[String],
) -> Scene {
    let mut scene = loaded.scene.clone();
    let mut entries: Vec<Entry> = base.and_then(|b| scene.timelines.get(b)).cloned().unwrap_or_default();
    entries.extend(user.iter().map(|(tick, iv)| entry(*tick, iv, team_names)));
    let mut name = SESSION_TIMELINE.to_string();
    let mut n = 2;
    while base != Some(name.as_str()) && scene.timelines.contains_key(&name) {
        name = format!("{SESSION_TIMELINE}-{n}");
        n += 1;
    }
    scene.timelines.insert(name.clone(), entries);
    scene.default_timeline = Some(name);
    scene.seed = seed;
    scene
}

fn entry(tick: u64, iv: &Intervention, names: &[String]) -> Entry {
    let on = match &iv.on {
        Selection::All => Targets::All,
        Selection::Trees(trees) => {
            Targets::Teams(trees.iter().filter_map(|&t| names.get(t as usize).cloned()).collect())
        }
    };
    let (kind, strength, duration) = (iv.kind, iv.strength, iv.duration);
    if iv.kind.style() == Style::Shock {
        Entry::Shock { tick, kind, strength, duration, on }
    } else {
        Entry::Intervene { tick, kind, strength, duration, on }
    }
}
